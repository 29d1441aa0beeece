// The machine-readable summary `tether replay --json` prints.
import type { Usage } from '../protocol/wire'
import type { ItemView, RunState, ToolCallViewStatus } from './state'
import { assistantMessagesOf } from './transcript'

/** One output item as a person reads it, in output order across responses. */
export type SummaryItem =
  | { type: 'message'; text: string; refusal: string | null; phase: string | null }
  | { type: 'reasoning'; summary: string[]; text: string[] }
  | { type: 'function_call'; callId: string | null; name: string | null; arguments: string }
  /** Any other type (hosted tools, compaction, types not known yet): its own type and a readable line. */
  | { type: string; summary: string }

export interface RunSummary {
  status: string
  responses: { id: string | null; status: string; incompleteReason: string | null }[]
  messages: string[]
  /** Every item the responses produced (output cut off by a dropped connection left out). */
  output: SummaryItem[]
  toolCalls: { callId: string; name: string; arguments: string; status: ToolCallViewStatus }[]
  usage: Usage | null
  errors: { code: string | null; message: string }[]
}

/** The last response's status; with no response at all, `failed` if an error ended it, else `in_progress`. */
export function lastResponseStatus(state: RunState): string {
  const last = state.responses[state.responses.length - 1]
  if (last) return last.status
  return state.errors.length > 0 ? 'failed' : 'in_progress'
}

function summaryItemOf(item: ItemView): SummaryItem {
  switch (item.kind) {
    case 'message': {
      const text = item.parts.filter((part) => part.type === 'output_text').map((part) => part.text).join('')
      const refusals = item.parts.filter((part) => part.type === 'refusal')
      return { type: 'message', text, refusal: refusals.length === 0 ? null : refusals.map((part) => part.text).join(''), phase: item.phase }
    }
    case 'reasoning':
      return { type: 'reasoning', summary: item.summary, text: item.content }
    case 'function_call':
      return { type: 'function_call', callId: item.callId, name: item.name, arguments: item.arguments }
    case 'other':
      return { type: item.itemType, summary: item.summary }
  }
}

function outputOf(state: RunState): SummaryItem[] {
  return state.responses.flatMap((response) =>
    response.status === 'dropped'
      ? []
      : response.itemKeys.flatMap((key) => {
          const item = key ? state.items[key] : undefined
          return item ? [summaryItemOf(item)] : []
        })
  )
}

export function summarize(state: RunState, extraErrors: RunSummary['errors'] = []): RunSummary {
  return {
    status: lastResponseStatus(state),
    responses: state.responses.map((response) => ({ id: response.id, status: response.status, incompleteReason: response.incompleteReason })),
    messages: assistantMessagesOf(state),
    output: outputOf(state),
    toolCalls: state.toolCallOrder.flatMap((callId) => {
      const call = state.toolCalls[callId]
      return call ? [{ callId, name: call.name, arguments: call.arguments, status: call.status }] : []
    }),
    usage: state.usage,
    errors: [...state.errors.map((error) => ({ code: error.code, message: error.message })), ...extraErrors]
  }
}
