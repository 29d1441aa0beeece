// What of a run's state goes to a display. The terminal tail of every call is the state's largest
// part on a long run (up to 256 KB each): a display keeps it for the most recent calls, and older
// finished calls show what the model was sent (their full output stays in the log and the
// artifact). Everything else is the state as folded, so records folded after it apply as usual.
import type { RunState, ToolCallView, ToolCallViewStatus } from './state'

/** Calls whose terminal output a display keeps: the recent ones, where people look at terminals. */
export const DISPLAYED_TERMINALS = 200

export function isFinished(status: ToolCallViewStatus): boolean {
  return status !== 'requested' && status !== 'awaiting_approval' && status !== 'running'
}

/** `state` for a display: the same, except older finished calls without their terminal tails. */
export function displayState(state: RunState, keep = DISPLAYED_TERMINALS): RunState {
  const order = state.toolCallOrder
  let toolCalls: Record<string, ToolCallView> | null = null
  for (let index = 0; index < order.length - keep; index++) {
    const call = state.toolCalls[order[index]!]
    if (!call || (call.terminal.length === 0 && call.terminalDroppedBytes === 0) || !isFinished(call.status)) continue
    toolCalls ??= { ...state.toolCalls }
    toolCalls[call.callId] = { ...call, terminal: '', terminalDroppedBytes: 0 }
  }
  return toolCalls ? { ...state, toolCalls } : state
}
