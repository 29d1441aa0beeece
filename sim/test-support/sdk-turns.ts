// Small helpers over the official SDK for conformance tests: collect one turn over ResponsesWS,
// and pull calls and text out of a terminal Response.
import type { ResponsesWS } from 'openai/resources/responses/ws'
import type { Response, ResponseFunctionToolCall, ResponsesServerEvent } from 'openai/resources/responses/responses'

export type TerminalEvent = Extract<ResponsesServerEvent, { type: 'response.completed' | 'response.failed' | 'response.incomplete' }>

/** Events of the next response up to its terminal event; rejects with the SDK's error on an `error` event. */
export function nextTurn(ws: ResponsesWS): Promise<{ events: ResponsesServerEvent[]; terminal: TerminalEvent }> {
  return new Promise((resolve, reject) => {
    const events: ResponsesServerEvent[] = []
    const onEvent = (event: ResponsesServerEvent): void => {
      events.push(event)
      if (event.type === 'response.completed' || event.type === 'response.failed' || event.type === 'response.incomplete') {
        cleanup()
        resolve({ events, terminal: event })
      }
    }
    const onError = (error: Error): void => {
      cleanup()
      reject(error)
    }
    const cleanup = (): void => {
      ws.off('event', onEvent)
      ws.off('error', onError)
    }
    ws.on('event', onEvent)
    ws.on('error', onError)
  })
}

/** Resolves once the socket is open (the SDK queues earlier sends; tests that time the handshake wait). */
export function opened(ws: ResponsesWS): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ws.socket.readyState === 1) return resolve()
    ws.socket.once('open', () => resolve())
    ws.socket.once('error', (error: Error) => reject(error))
  })
}

export function functionCalls(response: Pick<Response, 'output'>): ResponseFunctionToolCall[] {
  return response.output.filter((item): item is ResponseFunctionToolCall => item.type === 'function_call')
}

export function outputText(response: Pick<Response, 'output'>): string {
  return response.output
    .flatMap((item) => (item.type === 'message' ? item.content : []))
    .map((part) => (part.type === 'output_text' ? part.text : ''))
    .join('')
}

/** Name and parsed arguments: what must be equal when the same turn is played twice. */
export function callShapes(calls: readonly ResponseFunctionToolCall[]): Array<[string, unknown]> {
  return calls.map((call) => [call.name, JSON.parse(call.arguments) as unknown])
}
