// The machine-readable summary `tether replay --json` prints.
import type { Usage } from '../protocol/wire'
import type { RunState, ToolCallViewStatus } from './state'
import { assistantMessagesOf } from './transcript'

export interface RunSummary {
  status: string
  responses: { id: string | null; status: string }[]
  messages: string[]
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

export function summarize(state: RunState, extraErrors: RunSummary['errors'] = []): RunSummary {
  return {
    status: lastResponseStatus(state),
    responses: state.responses.map((response) => ({ id: response.id, status: response.status })),
    messages: assistantMessagesOf(state),
    toolCalls: state.toolCallOrder.flatMap((callId) => {
      const call = state.toolCalls[callId]
      return call ? [{ callId, name: call.name, arguments: call.arguments, status: call.status }] : []
    }),
    usage: state.usage,
    errors: [...state.errors.map((error) => ({ code: error.code, message: error.message })), ...extraErrors]
  }
}
