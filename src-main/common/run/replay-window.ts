// What a replay sends the page for one position: the state's latest transcript entries and what
// they show, so the answer has the same size at any position of any log (the state at the end of
// a gigabyte log is tens of megabytes of JSON), and costs about that to make: the state's large
// keyed collections are looked up, never walked. The window is a RunState for the transcript: the
// last `keep` timeline entries; the items, calls, approvals, person inputs, compactions and
// responses they name, renumbered where entries and items refer to them by index; the turns of
// those responses and the last errors. The run's own fields (status, settings, usage) are whole.
import { displayState } from './display-state'
import { assertNever } from './records'
import type { ErrorView, ItemView, RunState, TimelineEntry, ToolCallView } from './state'

/** Timeline entries a replay position shows: several screens of transcript. */
export const REPLAY_WINDOW_ENTRIES = 400
/** Errors a window keeps, the latest. */
const WINDOW_ERRORS = 50
/** Calls a replay keeps terminal output for (the rest show what the model was sent). */
export const REPLAY_TERMINALS = 10

export interface ReplayWindow {
  state: RunState
  /** Timeline entries before the window, not shown. */
  leftOut: number
}

/** Old indexes of a list, renumbered from 0 in their old order. */
class Renumbering {
  #seen = new Set<number>()
  #next: Map<number, number> | null = null

  add(index: number): void {
    this.#seen.add(index)
  }

  /** The old indexes kept, in order. */
  get old(): number[] {
    return [...this.#numbers().keys()]
  }

  has(index: number): boolean {
    return this.#seen.has(index)
  }

  of(index: number): number {
    return this.#numbers().get(index)!
  }

  #numbers(): Map<number, number> {
    this.#next ??= new Map([...this.#seen].sort((a, b) => a - b).map((index, renumbered) => [index, renumbered]))
    return this.#next
  }
}

/** The members of `wanted` in the order `order` has them, looking from its end: the ones a window names are recent. */
function latestInOrder(order: readonly string[], wanted: ReadonlySet<string>): string[] {
  const found: string[] = []
  for (let index = order.length - 1; index >= 0 && found.length < wanted.size; index--) if (wanted.has(order[index]!)) found.push(order[index]!)
  return found.reverse()
}

export function replayWindow(state: RunState, keep = REPLAY_WINDOW_ENTRIES, terminals = REPLAY_TERMINALS): ReplayWindow {
  const leftOut = Math.max(0, state.timeline.length - keep)
  if (leftOut === 0) return { state: displayState(state, terminals), leftOut }
  const inputs = new Renumbering()
  const compactions = new Renumbering()
  const responses = new Renumbering()
  const entries = state.timeline.slice(leftOut)
  const callIds = new Set<string>()
  for (const entry of entries) {
    switch (entry.kind) {
      case 'user':
        inputs.add(entry.index)
        break
      case 'compaction':
        compactions.add(entry.index)
        break
      case 'item': {
        const item = state.items[entry.key]
        if (item) responses.add(item.responseIndex)
        if (item?.kind === 'function_call' && item.callId !== null) callIds.add(item.callId)
        break
      }
      case 'tool_result':
        callIds.add(entry.callId)
        break
      case 'resumed':
        break
      default:
        assertNever(entry, 'timeline entry')
    }
  }
  const items: Record<string, ItemView> = {}
  const timeline = entries.map((entry): TimelineEntry => {
    if (entry.kind === 'user') return { kind: 'user', index: inputs.of(entry.index) }
    if (entry.kind === 'compaction') return { kind: 'compaction', index: compactions.of(entry.index) }
    const item = entry.kind === 'item' ? state.items[entry.key] : undefined
    if (item) items[item.key] = { ...item, responseIndex: responses.of(item.responseIndex) }
    return entry
  })
  const renumbered = (index: number | null): number | null => (index !== null && responses.has(index) ? responses.of(index) : null)
  const toolCalls: Record<string, ToolCallView> = {}
  const toolCallOrder = latestInOrder(state.toolCallOrder, callIds)
  for (const callId of toolCallOrder) {
    const call = state.toolCalls[callId]
    if (call) toolCalls[callId] = { ...call, responseIndex: renumbered(call.responseIndex) }
  }
  const approvals = Object.fromEntries(toolCallOrder.flatMap((callId) => (state.approvals[callId] ? [[callId, state.approvals[callId]]] : [])))
  // By each response's latest id: earlier names of a renamed response only matter to the fold.
  const responseIndexById: Record<string, number> = {}
  for (const index of responses.old) {
    const id = state.responses[index]?.id
    if (id != null && state.responseIndexById[id] === index) responseIndexById[id] = responses.of(index)
  }
  const errors: ErrorView[] = state.errors.slice(-WINDOW_ERRORS).map((error) => ({ ...error, responseIndex: renumbered(error.responseIndex) }))
  const window: RunState = {
    ...state,
    timeline,
    sentThrough: Math.max(0, state.sentThrough - leftOut),
    items,
    toolCalls,
    toolCallOrder,
    approvals,
    userInputs: inputs.old.map((index) => state.userInputs[index]!),
    compactions: compactions.old.map((index) => state.compactions[index]!),
    responses: responses.old.map((index) => state.responses[index]!),
    responseIndexById,
    turns: state.turns
      .filter((turn) => turn.responseIndexes.some((index) => responses.has(index)))
      .map((turn) => ({ ...turn, responseIndexes: turn.responseIndexes.flatMap((index) => (responses.has(index) ? [responses.of(index)] : [])) })),
    errors,
    gaps: state.gaps.flatMap((gap) => (responses.has(gap.responseIndex) ? [{ ...gap, responseIndex: responses.of(gap.responseIndex) }] : [])),
    cursor: { ...state.cursor, responseIndex: renumbered(state.cursor.responseIndex) }
  }
  return { state: displayState(window, terminals), leftOut }
}
