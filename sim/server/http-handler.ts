// HTTP: `POST /v1/responses` (SSE when `stream: true`, one JSON Response otherwise) and
// `GET /v1/responses/{id}` for stored responses. Every answer goes through the connection's delay
// line, and the request is handled only when it has "arrived" on the emulated link.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { assertNever } from '../../src-main/common/run/records'
import { parseCreateRequest, type CreateRequest } from '../protocol/create-request'
import { errors, httpErrorBody, type ApiError } from '../protocol/errors'
import { checkAuth } from './auth'
import { EventStream, type Link } from './event-stream'
import { prepareResponse } from './prepare-response'
import { ResponseRun } from './response-run'
import { prepareDeps, type ServerContext } from './server-context'
import type { SocketInfo, SocketRegistry } from './socket-registry'
import { formatSseEvent } from './sse-format'

const MAX_BODY_BYTES = 64 * 1024 * 1024
const RESPONSES_PATHS = new Set(['/v1/responses', '/responses'])
const RESPONSE_BY_ID = /^\/(?:v1\/)?responses\/([^/]+)$/

export class HttpHandler {
  constructor(
    private readonly context: ServerContext,
    private readonly sockets: SocketRegistry
  ) {}

  handle(request: IncomingMessage, response: ServerResponse): void {
    const info = this.sockets.get(request.socket)
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
    })
    request.on('end', () => {
      const body = Buffer.concat(chunks)
      this.context.scheduler.at(this.sockets.arrivalTime(info), () => this.route(request, response, info, body, size))
    })
  }

  private route(request: IncomingMessage, response: ServerResponse, info: SocketInfo, body: Buffer, size: number): void {
    const path = new URL(request.url ?? '/', 'http://sim').pathname.replace(/\/+$/, '')
    const method = request.method ?? 'GET'
    const authProblem = checkAuth(request.headers, this.context.settings().apiKey)
    if (authProblem) return this.replyError(info, response, authProblem)
    if (method === 'POST' && RESPONSES_PATHS.has(path)) {
      if (size > MAX_BODY_BYTES) return this.replyError(info, response, errors.invalid(`Request body exceeds ${MAX_BODY_BYTES} bytes.`, null, null))
      return this.create(response, info, body)
    }
    const byId = RESPONSE_BY_ID.exec(path)
    if (method === 'GET' && byId?.[1]) {
      const stored = this.context.store.get(decodeURIComponent(byId[1]))
      return stored ? this.replyJson(info, response, 200, stored.response) : this.replyError(info, response, errors.responseNotFound(byId[1]))
    }
    this.replyError(info, response, errors.invalidUrl(method, path))
  }

  private create(response: ServerResponse, info: SocketInfo, raw: Buffer): void {
    const { context } = this
    context.recorder.httpRequest()
    info.http ??= context.recorder.connectionOpened(info.id, 'http')
    const body = context.recorder.message('http', info.id, raw.toString('utf8'), raw.byteLength)
    if (body === undefined) return this.replyError(info, response, errors.malformedJsonBody())
    const refusal = context.faults().refusalForNextRequest()
    if (refusal) return this.replyError(info, response, refusal)
    const parsed = parseCreateRequest(body, 'http', context.settings().dialect)
    if (!parsed.ok) return this.replyError(info, response, parsed.error)
    this.run(response, info, parsed.value).catch(() => {
      // A bug in the sim must not look like a hung server to the client under test.
      if (response.headersSent) response.destroy()
      else this.replyError(info, response, errors.serverError())
    })
  }

  private async run(response: ServerResponse, info: SocketInfo, request: CreateRequest): Promise<void> {
    const { context } = this
    // HTTP has no connection-local cache: a parent is found only if it was stored.
    const prepared = prepareResponse(
      prepareDeps(context, (id) => {
        const stored = context.store.get(id)
        return stored ? { state: stored, source: { kind: 'store' } } : null
      }),
      request
    )
    if (!prepared.ok) return this.replyError(info, response, prepared.error)
    const { value } = prepared
    const link = request.stream ? this.sseLink(response, info) : this.silentLink(response)
    const connection = info.http
    const stream = new EventStream(link, () => context.faults(), context.scheduler, (bytes) => connection && context.recorder.eventSent(connection, bytes))
    const logged = context.recorder.responseStarted({
      id: value.id,
      transport: 'http',
      connectionId: info.id,
      streamId: null,
      previousResponseId: request.previousResponseId,
      parentSource: value.parent ? 'store' : null,
      inputItems: request.input.length,
      contextItems: value.context.length,
      turn: value.decision.turn
    })
    const result = await new ResponseRun(value, { scheduler: context.scheduler, stream, streamId: undefined, sparse: () => context.faults().has('sparse') }).play()
    switch (result.kind) {
      case 'finished':
        context.recorder.responseEnded(logged, result.state.status === 'incomplete' ? 'incomplete' : 'completed')
        context.store.put(result.state)
        if (request.stream) info.outbound.push(() => response.end())
        else this.replyJson(info, response, 200, result.state.response)
        return
      case 'failed':
      case 'errored':
        context.recorder.responseEnded(logged, result.kind)
        if (request.stream) info.outbound.push(() => response.end())
        else this.replyError(info, response, errors.serverError())
        return
      case 'gone':
        context.recorder.responseEnded(logged, 'dropped')
        return
      default:
        return assertNever(result, 'run result')
    }
  }

  /**
   * SSE. Headers go out with the first event; a request refused before its first event (an
   * injected error at event 0) gets a plain HTTP error instead, as a real server would answer.
   */
  private sseLink(response: ServerResponse, info: SocketInfo): Link {
    let dead = false
    let started = false
    // The link's own methods have their own `this`.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const handler = this
    return {
      get alive() {
        return !dead && !response.destroyed
      },
      send(frame) {
        const nested = frame as { status?: number; error?: ApiError }
        if (!started && typeof nested.status === 'number' && nested.error) {
          dead = true
          handler.replyError(info, response, { ...nested.error, status: nested.status })
          return 0
        }
        if (!started) {
          started = true
          info.outbound.push(() => {
            response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
            response.flushHeaders()
          })
        }
        const text = formatSseEvent(frame)
        info.outbound.push(() => {
          if (!response.destroyed) response.write(text)
        })
        return Buffer.byteLength(text)
      },
      drop() {
        dead = true
        info.outbound.push(() => response.socket?.destroy())
      },
      close() {
        dead = true
        info.outbound.push(() => response.end())
      }
    }
  }

  /** Non-streaming: events are generated (and counted for faults) but only the final JSON is sent. */
  private silentLink(response: ServerResponse): Link {
    let dead = false
    return {
      get alive() {
        return !dead && !response.destroyed
      },
      send() {
        return 0
      },
      drop() {
        dead = true
        response.socket?.destroy()
      },
      close() {
        dead = true
        response.socket?.destroy()
      }
    }
  }

  private replyJson(info: SocketInfo, response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body)
    info.outbound.push(() => {
      if (response.destroyed) return
      response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
      response.end(text)
    })
  }

  private replyError(info: SocketInfo, response: ServerResponse, error: ApiError, headers: Record<string, string> = {}): void {
    this.replyJson(info, response, error.status, httpErrorBody(error, this.context.settings().dialect), { ...error.headers, ...headers })
  }
}
