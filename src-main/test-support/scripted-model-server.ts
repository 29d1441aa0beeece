// A model server that answers each request from a script, for the retry and error-class tests:
// exact error bodies and headers as real servers send them, and the time of every request.
// Each HTTP POST /v1/responses or WebSocket `response.create` takes the next answer.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'

export type ScriptedAnswer =
  /** An HTTP refusal: to a POST, or to the WebSocket upgrade when the next request is an upgrade. */
  | { kind: 'http'; status: number; headers?: Record<string, string>; body: unknown }
  /**
   * Server events sent in order (over SSE or WebSocket), then the stream ends (SSE) or stays open
   * (WS). With `hold`, the events from `hold.before` on wait for `hold.until`; with `close`, the
   * WebSocket is then closed abruptly, as a dropped connection.
   */
  | { kind: 'events'; events: unknown[]; hold?: { before: number; until: Promise<unknown> }; close?: boolean }
  /** A short completed response saying `text`. */
  | { kind: 'ok'; text: string }

export interface ScriptedRequest {
  transport: 'sse' | 'ws' | 'upgrade'
  at: number
  body: Record<string, unknown> | null
}

export interface ScriptedModelServer {
  baseUrl: string
  requests: ScriptedRequest[]
  /** Answers still unused. */
  remaining(): number
  stop(): Promise<void>
}

let responseCount = 0

export function completedEvents(text: string): unknown[] {
  const id = `resp_scripted_${++responseCount}`
  const message = { id: `msg_scripted_${responseCount}`, type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] }
  const usage = { input_tokens: 10, input_tokens_details: { cached_tokens: 0 }, output_tokens: 2, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 12 }
  return [
    { type: 'response.created', sequence_number: 0, response: { id, object: 'response', status: 'in_progress', output: [] } },
    { type: 'response.output_item.added', sequence_number: 1, output_index: 0, item: { ...message, status: 'in_progress', content: [] } },
    { type: 'response.output_text.delta', sequence_number: 2, item_id: message.id, output_index: 0, content_index: 0, delta: text },
    { type: 'response.output_item.done', sequence_number: 3, output_index: 0, item: message },
    { type: 'response.completed', sequence_number: 4, response: { id, object: 'response', status: 'completed', output: [message], usage } }
  ]
}

function eventsOf(answer: ScriptedAnswer): unknown[] {
  return answer.kind === 'ok' ? completedEvents(answer.text) : answer.kind === 'events' ? answer.events : []
}

/** Sends an answer's events in order, waiting where the answer holds some back. */
async function sendEvents(answer: ScriptedAnswer, send: (event: unknown) => void): Promise<void> {
  const hold = answer.kind === 'events' ? answer.hold : undefined
  for (const [index, event] of eventsOf(answer).entries()) {
    if (hold && index === hold.before) await hold.until
    send(event)
  }
}

/**
 * `upgradeTakesAnswer`: a WebSocket upgrade meets the next answer first: an `http` one refuses the
 * upgrade; any other lets it through and stays for the `response.create` that follows.
 */
export async function startScriptedModelServer(script: ScriptedAnswer[], options: { upgradeTakesAnswer?: boolean } = {}): Promise<ScriptedModelServer> {
  const queue = [...script]
  const requests: ScriptedRequest[] = []
  const sockets = new Set<WebSocket>()
  const next = (): ScriptedAnswer => queue.shift() ?? { kind: 'http', status: 500, body: { error: { message: 'the script ran out', type: 'server_error', code: null, param: null } } }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      let body: Record<string, unknown> | null = null
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
      } catch {
        body = null
      }
      requests.push({ transport: 'sse', at: performance.now(), body })
      const answer = next()
      if (answer.kind === 'http') {
        response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
        response.end(JSON.stringify(answer.body))
        return
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      void sendEvents(answer, (event) => response.write(`event: ${(event as { type: string }).type}\ndata: ${JSON.stringify(event)}\n\n`)).then(() => response.end())
    })
  })
  const wss = new WebSocketServer({ noServer: true })
  server.on('upgrade', (request, socket, head) => {
    if (options.upgradeTakesAnswer) {
      requests.push({ transport: 'upgrade', at: performance.now(), body: null })
      const answer = queue[0]
      if (answer?.kind === 'http') {
        queue.shift()
        const text = JSON.stringify(answer.body)
        const headers = Object.entries({ 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...answer.headers })
        socket.end(`HTTP/1.1 ${answer.status} Refused\r\n${headers.map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n${text}`)
        return
      }
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws)
      ws.on('close', () => sockets.delete(ws))
      ws.on('message', (data) => {
        const body = JSON.parse(data.toString()) as Record<string, unknown>
        if (body.type !== 'response.create') return
        requests.push({ transport: 'ws', at: performance.now(), body })
        const answer = next()
        // Over the socket, an HTTP answer is what the API sends instead: a nested `error` with its status and headers.
        if (answer.kind === 'http') {
          const error = (answer.body as { error?: object }).error ?? {}
          ws.send(JSON.stringify({ type: 'error', status: answer.status, error: { ...error, ...(answer.headers ? { headers: answer.headers } : {}) } }))
          return
        }
        void sendEvents(answer, (event) => ws.send(JSON.stringify(event))).then(() => {
          if (answer.kind === 'events' && answer.close) ws.terminate()
        })
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    remaining: () => queue.length,
    async stop() {
      for (const socket of sockets) socket.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
