// The transcript as the UI lists it, derived from RunState: person input, assistant messages,
// reasoning summaries and tool calls in the order they happened. Pure, so it is cheap to test.
import type {
  ApprovalView,
  ItemView,
  MessageItemView,
  ReasoningItemView,
  RunState,
  TimelineEntry,
  ToolCallView,
  UserInputView
} from '../../../src-main/common/run/state'
import { assertNever } from '../../../src-main/common/run/records'

export type TranscriptEntry =
  | { kind: 'user'; key: string; input: UserInputView }
  | { kind: 'message'; key: string; item: MessageItemView; streaming: boolean }
  | { kind: 'reasoning'; key: string; item: ReasoningItemView; streaming: boolean }
  | { kind: 'tool'; key: string; call: ToolCallView; approval: ApprovalView | null }
  | { kind: 'other'; key: string; item: ItemView }
  | { kind: 'resumed'; key: string; reason: string; at: number }

function isStreaming(state: RunState, item: ItemView): boolean {
  const response = state.responses[item.responseIndex]
  return item.status === 'in_progress' && response !== undefined && (response.status === 'in_progress' || response.status === 'queued')
}

function isUnfinished(status: ToolCallView['status'] | undefined): boolean {
  return status === undefined || status === 'awaiting_approval' || status === 'requested'
}

/** Whether a timeline entry is the person's new task: a follow-up shows itself, so it needs no resume marker. */
function isFollowUp(state: RunState, entry: TimelineEntry | undefined): boolean {
  return entry?.kind === 'user' && state.userInputs[entry.index]?.kind === 'task'
}

export function transcriptEntries(state: RunState): TranscriptEntry[] {
  const entries: TranscriptEntry[] = []
  for (const [position, entry] of state.timeline.entries()) {
    switch (entry.kind) {
      case 'user': {
        const input = state.userInputs[entry.index]
        if (input) entries.push({ kind: 'user', key: `user:${entry.index}`, input })
        break
      }
      case 'item': {
        const item = state.items[entry.key]
        if (!item) break
        const key = `item:${entry.key}`
        switch (item.kind) {
          case 'message':
            entries.push({ kind: 'message', key, item, streaming: isStreaming(state, item) })
            break
          case 'reasoning':
            if (item.summary.length > 0 || isStreaming(state, item)) entries.push({ kind: 'reasoning', key, item, streaming: isStreaming(state, item) })
            break
          case 'function_call': {
            const call = item.callId === null ? undefined : state.toolCalls[item.callId]
            if (call) entries.push({ kind: 'tool', key, call, approval: state.approvals[call.callId] ?? null })
            break
          }
          case 'other':
            entries.push({ kind: 'other', key, item })
            break
        }
        break
      }
      case 'tool_result':
        // Shown inside the call's card.
        break
      case 'resumed':
        if (!isFollowUp(state, state.timeline[position + 1])) entries.push({ kind: 'resumed', key: `resumed:${position}`, reason: entry.reason, at: entry.at })
        break
      default:
        assertNever(entry, 'timeline entry')
    }
  }
  return entries
}

/**
 * Approvals the person still has to decide, oldest first: undecided, for a call that has not
 * finished (a call interrupted while it waited keeps an undecided approval nobody asks any more).
 */
export function pendingApprovals(state: RunState): ApprovalView[] {
  return Object.values(state.approvals)
    .filter((approval) => approval.decision === null && isUnfinished(state.toolCalls[approval.callId]?.status))
    .sort((a, b) => a.requestedAt - b.requestedAt)
}

export type RunPhase = 'empty' | 'streaming' | 'tools' | 'waiting' | 'idle' | 'completed' | 'failed' | 'interrupted' | 'incomplete' | 'unfinished'

/** One word for where a run stands, for the header and the runs list. */
export function runPhase(state: RunState, running: boolean): RunPhase {
  switch (state.status) {
    case 'empty':
      return 'empty'
    case 'completed':
    case 'failed':
    case 'interrupted':
    case 'incomplete':
      return state.status
    case 'running':
      if (!running) return 'unfinished'
      if (pendingApprovals(state).length > 0) return 'waiting'
      if (Object.values(state.toolCalls).some((call) => call.status === 'running')) return 'tools'
      return 'streaming'
  }
}

/** The shell command of a call, when its arguments name one. */
export function commandOf(call: ToolCallView): string | null {
  try {
    const parsed = JSON.parse(call.arguments) as { command?: unknown }
    return typeof parsed.command === 'string' ? parsed.command : null
  } catch {
    return null
  }
}

/** A short label for what a call does: its command, path or the tool name. */
export function callLabel(call: ToolCallView): string {
  const command = commandOf(call)
  if (command) return command
  try {
    const parsed = JSON.parse(call.arguments) as Record<string, unknown>
    const path = parsed.path ?? parsed.file ?? parsed.pattern ?? parsed.query
    if (typeof path === 'string') return `${call.name} ${path}`
  } catch {
    // Arguments still streaming: show the name alone.
  }
  return call.name || 'tool call'
}
