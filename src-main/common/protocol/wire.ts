// The wire vocabulary of the Responses API, taken from the official SDK's generated types so that
// Tether and the server agree on one definition. Type-only: nothing from `openai` reaches a bundle.
import type * as Api from 'openai/resources/responses/responses'

export type ServerEvent = Api.ResponsesServerEvent
export type ServerEventType = ServerEvent['type']
export type ClientEvent = Api.ResponsesClientEvent
export type ResponseCreateEvent = Api.ResponsesClientEvent.ResponseCreate
export type ResponseSteerEvent = Api.ResponseSteerEvent

export type ResponseObject = Api.Response
export type ResponseStatus = Api.ResponseStatus
export type Usage = Api.ResponseUsage

export type OutputItem = Api.ResponseOutputItem
export type InputItem = Api.ResponseInputItem
export type OutputMessageItem = Api.ResponseOutputMessage
export type OutputTextContent = Api.ResponseOutputText
export type RefusalContent = Api.ResponseOutputRefusal
export type FunctionCallItem = Api.ResponseFunctionToolCall
export type FunctionCallOutputItem = Api.ResponseInputItem.FunctionCallOutput
export type ReasoningItem = Api.ResponseReasoningItem
export type FunctionTool = Api.FunctionTool

/** `error` arrives in two shapes: nested (request rejected) and flat (failure mid-stream). */
export type NestedErrorEvent = Api.ResponsesServerEvent.ResponseWsError
export type FlatErrorEvent = Api.ResponsesServerEvent.ResponseWsStreamingError
export type ErrorEvent = NestedErrorEvent | FlatErrorEvent

export type SteerAcceptedEvent = Api.ResponseSteerAcceptedEvent
export type SteerPendingEvent = Api.ResponseSteerPendingEvent
export type SteerFailedEvent = Api.ResponseSteerFailedEvent

/**
 * Every event type the SDK knows, checked both ways against its union. Anything else on the wire
 * (vendor extras such as `response.metadata`, transport keepalives, future types) is unknown.
 */
const SERVER_EVENT_TYPES: Record<ServerEventType, true> = {
  error: true,
  'response.audio.delta': true,
  'response.audio.done': true,
  'response.audio.transcript.delta': true,
  'response.audio.transcript.done': true,
  'response.code_interpreter_call.completed': true,
  'response.code_interpreter_call.in_progress': true,
  'response.code_interpreter_call.interpreting': true,
  'response.code_interpreter_call_code.delta': true,
  'response.code_interpreter_call_code.done': true,
  'response.compaction.compacting': true,
  'response.completed': true,
  'response.content_part.added': true,
  'response.content_part.done': true,
  'response.created': true,
  'response.custom_tool_call_input.delta': true,
  'response.custom_tool_call_input.done': true,
  'response.failed': true,
  'response.file_search_call.completed': true,
  'response.file_search_call.in_progress': true,
  'response.file_search_call.searching': true,
  'response.function_call_arguments.delta': true,
  'response.function_call_arguments.done': true,
  'response.image_generation_call.completed': true,
  'response.image_generation_call.generating': true,
  'response.image_generation_call.in_progress': true,
  'response.image_generation_call.partial_image': true,
  'response.in_progress': true,
  'response.incomplete': true,
  'response.mcp_call.completed': true,
  'response.mcp_call.failed': true,
  'response.mcp_call.in_progress': true,
  'response.mcp_call_arguments.delta': true,
  'response.mcp_call_arguments.done': true,
  'response.mcp_list_tools.completed': true,
  'response.mcp_list_tools.failed': true,
  'response.mcp_list_tools.in_progress': true,
  'response.output_item.added': true,
  'response.output_item.done': true,
  'response.output_text.annotation.added': true,
  'response.output_text.delta': true,
  'response.output_text.done': true,
  'response.queued': true,
  'response.reasoning_summary_part.added': true,
  'response.reasoning_summary_part.done': true,
  'response.reasoning_summary_text.delta': true,
  'response.reasoning_summary_text.done': true,
  'response.reasoning_text.delta': true,
  'response.reasoning_text.done': true,
  'response.refusal.delta': true,
  'response.refusal.done': true,
  'response.shell_call_command.added': true,
  'response.shell_call_command.delta': true,
  'response.shell_call_command.done': true,
  'response.shell_call_output_content.delta': true,
  'response.shell_call_output_content.done': true,
  'response.steer.accepted': true,
  'response.steer.failed': true,
  'response.steer.pending': true,
  'response.web_search_call.completed': true,
  'response.web_search_call.in_progress': true,
  'response.web_search_call.searching': true
}

export function isKnownServerEventType(type: string): boolean {
  return Object.hasOwn(SERVER_EVENT_TYPES, type)
}

export const TERMINAL_RESPONSE_EVENTS = ['response.completed', 'response.failed', 'response.incomplete'] as const
export type TerminalResponseEventType = (typeof TERMINAL_RESPONSE_EVENTS)[number]

export function isNestedError(event: ErrorEvent): event is NestedErrorEvent {
  return typeof (event as { error?: unknown }).error === 'object' && (event as { error?: unknown }).error !== null
}

/** Both error shapes reduced to what a person or a retry policy needs. */
export interface WireError {
  code: string | null
  /** OpenAI's `error.type` (`insufficient_quota`, `invalid_request_error`, …). */
  type: string | null
  message: string
  status: number | null
  param: string | null
  /** Response headers the server attached (`retry-after`, `x-ratelimit-reset-*`, …). */
  headers: Record<string, string> | null
}

function stringMap(value: unknown): Record<string, string> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const entries = Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string')
  return entries.length === 0 ? null : Object.fromEntries(entries)
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

/**
 * The SDK's types put `headers` inside `error`; Codex reads them next to `status` (ChatGPT
 * backend). Both places are read, the nested one winning.
 */
export function wireErrorOf(event: ErrorEvent): WireError {
  if (isNestedError(event)) {
    const outer = event as { headers?: unknown; status?: unknown }
    const inner = event.error as { type?: unknown; headers?: unknown; param?: unknown; code?: unknown }
    const headers = { ...stringMap(outer.headers), ...stringMap(inner.headers) }
    return {
      code: stringOrNull(inner.code),
      type: stringOrNull(inner.type),
      message: event.error.message,
      status: typeof outer.status === 'number' ? outer.status : null,
      param: stringOrNull(inner.param),
      headers: Object.keys(headers).length === 0 ? null : headers
    }
  }
  const flat = event as { code?: unknown; param?: unknown }
  return { code: stringOrNull(flat.code), type: null, message: event.message, status: null, param: stringOrNull(flat.param), headers: null }
}
