// What a run needs next, read off its state alone, so a live run, a restarted app and
// `tether run --resume` all take the same path.
import type { RunOutcome } from './records'
import type { ResponseView, RunState } from './state'
import { hasPendingInput } from './transcript'

export type NextStep =
  /** Calls of the last response that have not finished: ask, run, or report them. */
  | { kind: 'run_tools'; callIds: string[] }
  /** A request is due: the first turn, a continuation, pending input, or a retry after a drop. */
  | { kind: 'send' }
  | { kind: 'done'; outcome: RunOutcome }

export function lastContextResponse(state: RunState): { index: number; response: ResponseView } | null {
  for (let index = state.responses.length - 1; index >= 0; index--) {
    const response = state.responses[index]!
    if (response.status !== 'dropped') return { index, response }
  }
  return null
}

export function callIdsOf(state: RunState, responseIndex: number): string[] {
  const response = state.responses[responseIndex]
  if (!response) return []
  return response.itemKeys.flatMap((key) => {
    const item = key ? state.items[key] : undefined
    return item?.kind === 'function_call' && item.callId !== null ? [item.callId] : []
  })
}

function countsAsAnswer(response: ResponseView | undefined): boolean {
  return response !== undefined && (response.status === 'completed' || response.status === 'incomplete')
}

export function nextStep(state: RunState): NextStep {
  const pending = hasPendingInput(state)
  const lastTurn = state.turns[state.turns.length - 1]
  if (!lastTurn) return pending ? { kind: 'send' } : { kind: 'done', outcome: 'completed' }
  // A request that no finished response answered (dropped, failed, never reached the server) is sent again.
  if (!lastTurn.responseIndexes.some((index) => countsAsAnswer(state.responses[index]))) return { kind: 'send' }
  const last = lastContextResponse(state)
  if (!last) return { kind: 'send' }
  const { index, response } = last
  const callIds = callIdsOf(state, index)
  const unfinished = callIds.filter((callId) => {
    const status = state.toolCalls[callId]?.status
    return status === 'requested' || status === 'awaiting_approval' || status === 'running'
  })
  if (unfinished.length > 0) return { kind: 'run_tools', callIds: unfinished }
  if (pending) return { kind: 'send' }
  return { kind: 'done', outcome: response.status === 'incomplete' ? 'incomplete' : 'completed' }
}
