// The transcript as the UI lists it, derived from RunState: person input, assistant messages,
// reasoning summaries and tool calls in the order they happened. Pure, so it is cheap to test.
import { callIdsOf, lastContextResponse } from '../../../src-main/common/run/next-step'
import { assertNever } from '../../../src-main/common/run/records'
import type {
  ApprovalView,
  CompactionView,
  ItemView,
  MessageItemView,
  ReasoningItemView,
  RunState,
  TimelineEntry,
  ToolCallView,
  UserInputView
} from '../../../src-main/common/run/state'
import { toolCallLabel } from '../../../src-main/common/run/tool-view'

export type TranscriptEntry =
  | { kind: 'user'; key: string; input: UserInputView }
  | { kind: 'message'; key: string; item: MessageItemView; streaming: boolean }
  | { kind: 'reasoning'; key: string; item: ReasoningItemView; streaming: boolean }
  | { kind: 'tool'; key: string; call: ToolCallView; label: string; approval: ApprovalView | null }
  | { kind: 'other'; key: string; item: ItemView }
  | { kind: 'resumed'; key: string; reason: string; at: number }
  | { kind: 'compaction'; key: string; compaction: CompactionView }

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

/**
 * What the timeline entry at `position` shows now; null for what is not shown (tool results sit in
 * their call's card, a resume marker right before a follow-up task).
 */
export function entryOf(state: RunState, entry: TimelineEntry, position: number): TranscriptEntry | null {
  switch (entry.kind) {
    case 'user': {
      const input = state.userInputs[entry.index]
      return input ? { kind: 'user', key: `user:${entry.index}`, input } : null
    }
    case 'item': {
      const item = state.items[entry.key]
      if (!item) return null
      const key = `item:${entry.key}`
      switch (item.kind) {
        case 'message':
          return { kind: 'message', key, item, streaming: isStreaming(state, item) }
        case 'reasoning':
          return item.summary.length > 0 || isStreaming(state, item) ? { kind: 'reasoning', key, item, streaming: isStreaming(state, item) } : null
        case 'function_call': {
          const call = item.callId === null ? undefined : state.toolCalls[item.callId]
          return call ? { kind: 'tool', key, call, label: callLabel(call, state.toolViews), approval: state.approvals[call.callId] ?? null } : null
        }
        case 'other':
          return { kind: 'other', key, item }
        default:
          return assertNever(item, 'item view')
      }
    }
    case 'tool_result':
      return null
    case 'resumed':
      return isFollowUp(state, state.timeline[position + 1]) ? null : { kind: 'resumed', key: `resumed:${position}`, reason: entry.reason, at: entry.at }
    case 'compaction': {
      const compaction = state.compactions[entry.index]
      return compaction ? { kind: 'compaction', key: `compaction:${entry.index}`, compaction } : null
    }
    default:
      return assertNever(entry, 'timeline entry')
  }
}

export function transcriptEntries(state: RunState): TranscriptEntry[] {
  return state.timeline.flatMap((entry, position) => entryOf(state, entry, position) ?? [])
}

export interface TranscriptRow {
  key: string
  source: TimelineEntry
  /** Where `source` sits in the timeline. */
  position: number
}

function rowOf(entry: TimelineEntry, position: number): TranscriptRow | null {
  switch (entry.kind) {
    case 'user':
      return { key: `user:${entry.index}`, source: entry, position }
    case 'item':
      return { key: `item:${entry.key}`, source: entry, position }
    case 'resumed':
      return { key: `resumed:${position}`, source: entry, position }
    case 'compaction':
      return { key: `compaction:${entry.index}`, source: entry, position }
    case 'tool_result':
      return null
    default:
      return assertNever(entry, 'timeline entry')
  }
}

/**
 * The rows of a transcript, kept up to date at the cost of what is new: a LiveFold appends to the
 * same timeline list, so only entries past the last update are read. A different list (another
 * snapshot, a replay position) is read whole. A row may show nothing (`entryOf` is null) until,
 * say, its reasoning gets a summary.
 */
export class TranscriptRows {
  rows: TranscriptRow[] = []
  #timeline: readonly TimelineEntry[] | null = null
  #seen = 0

  /** Brings the rows up to `state`; true when they changed. `rows` is changed in place while the list it reads only grows. */
  update(state: RunState): boolean {
    const timeline = state.timeline
    let dropped = false
    if (timeline !== this.#timeline || timeline.length < this.#seen) {
      this.#timeline = timeline
      this.#seen = 0
      dropped = this.rows.length > 0
      this.rows = []
    }
    const before = this.rows.length
    for (let index = this.#seen; index < timeline.length; index++) {
      const row = rowOf(timeline[index]!, index)
      if (row) this.rows.push(row)
    }
    this.#seen = timeline.length
    return dropped || this.rows.length !== before
  }
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

/** Calls run only for the last response, so a run's running calls are among these few. */
function callsOfLastResponse(state: RunState): string[] {
  const last = lastContextResponse(state)
  return last ? callIdsOf(state, last.index) : []
}

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
      if (callsOfLastResponse(state).some((callId) => state.toolCalls[callId]?.status === 'running')) return 'tools'
      return 'streaming'
  }
}

/** A short label for what a call does, as its tool declared (see common/run/tool-view.ts). */
export function callLabel(call: ToolCallView, views: RunState['toolViews']): string {
  return toolCallLabel(call.name, call.arguments, views[call.name])
}
