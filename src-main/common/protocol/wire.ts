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

export const TERMINAL_RESPONSE_EVENTS = ['response.completed', 'response.failed', 'response.incomplete'] as const
export type TerminalResponseEventType = (typeof TERMINAL_RESPONSE_EVENTS)[number]

export function isNestedError(event: ErrorEvent): event is NestedErrorEvent {
  return typeof (event as { error?: unknown }).error === 'object' && (event as { error?: unknown }).error !== null
}

/** Both error shapes reduced to what a person or a retry policy needs. */
export interface WireError {
  code: string | null
  message: string
  status: number | null
  param: string | null
}

export function wireErrorOf(event: ErrorEvent): WireError {
  if (isNestedError(event)) {
    return {
      code: event.error.code,
      message: event.error.message,
      status: event.status ?? null,
      param: event.error.param
    }
  }
  return { code: event.code, message: event.message, status: null, param: event.param }
}
