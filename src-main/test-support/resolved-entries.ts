// What each transcript entry of a state shows, with indexes resolved: comparable between a state
// and a window of it, whose lists are renumbered.
import type { RunState } from '../common/run/state'

/** What an entry shows, with indexes resolved: comparable between a state and its window. */
export function resolvedEntries(state: RunState): unknown[] {
  return state.timeline.map((entry) => {
    switch (entry.kind) {
      case 'user':
        return { user: state.userInputs[entry.index] }
      case 'compaction':
        return { compaction: state.compactions[entry.index] }
      case 'item': {
        const item = state.items[entry.key]!
        const call = item.kind === 'function_call' && item.callId ? state.toolCalls[item.callId] : undefined
        return {
          item: { ...item, responseIndex: undefined },
          response: state.responses[item.responseIndex],
          call: call && { ...call, responseIndex: undefined, terminal: undefined, terminalDroppedBytes: undefined },
          callResponse: call?.responseIndex == null ? null : state.responses[call.responseIndex],
          approval: call ? (state.approvals[call.callId] ?? null) : null
        }
      }
      default:
        return entry
    }
  })
}
