// HTTP POST /responses with `stream: true`, read as Server-Sent Events. Connections are kept
// alive between turns unless `newConnectionPerTurn` asks otherwise (a benchmark baseline).
import http from 'node:http'
import https from 'node:https'
import { performance } from 'node:perf_hooks'
import { createParser } from 'eventsource-parser'
import { frameOf } from './frames'
import { authHeaders, type Provider } from './provider'
import { readRefusalBody, refusalFromBody } from './refusal'
import type { ModelTransport, SentTurn, TurnEnd, TurnRequest } from './transport'
import { TurnTracker } from './turn-tracker'

export interface SseTransportOptions {
  idleTimeoutMs: number
  /** How long an `error` waits for the `response.failed` that usually follows it. */
  errorGraceMs: number
  newConnectionPerTurn: boolean
  /** How long the body of a refusal (an HTTP error status) is read before it is reported with what came. */
  refusalReadMs: number
}

export const DEFAULT_SSE_OPTIONS: SseTransportOptions = { idleTimeoutMs: 300_000, errorGraceMs: 1000, newConnectionPerTurn: false, refusalReadMs: 10_000 }

export class SseTransport implements ModelTransport {
  readonly kind = 'sse' as const
  #provider: Provider
  #options: SseTransportOptions
  #agent: http.Agent
  #openedAt = performance.now()

  constructor(provider: Provider, options: Partial<SseTransportOptions> = {}) {
    this.#provider = provider
    this.#options = { ...DEFAULT_SSE_OPTIONS, ...options }
    const secure = provider.baseUrl.startsWith('https:')
    const keepAlive = !this.#options.newConnectionPerTurn
    this.#agent = secure ? new https.Agent({ keepAlive }) : new http.Agent({ keepAlive })
  }

  /** HTTP has no connection-held state a continuation could rely on. */
  get connectionId(): number | null {
    return null
  }

  get connectedAt(): number | null {
    return this.#openedAt
  }

  connect(): Promise<TurnEnd | null> {
    return Promise.resolve(null)
  }

  send(request: TurnRequest): SentTurn {
    const body = JSON.stringify({ ...request.body, stream: true })
    const bytes = Buffer.byteLength(body)
    const url = new URL(`${this.#provider.baseUrl}/responses`)
    const client = url.protocol === 'https:' ? https : http
    const ended = new Promise<TurnEnd>((resolve) => {
      let done = false
      let idle: NodeJS.Timeout | null = null
      let grace: NodeJS.Timeout | null = null
      /** `drain` lets a stream that delivered its terminal event end by itself, so the socket goes back to the keep-alive pool. */
      const finish = (end: TurnEnd, drain: http.IncomingMessage | null = null): void => {
        if (done) return
        done = true
        if (idle) clearTimeout(idle)
        if (grace) clearTimeout(grace)
        request.signal.removeEventListener('abort', onAbort)
        if (drain === null) {
          outgoing.destroy()
        } else if (!drain.complete) {
          const stuck = setTimeout(() => outgoing.destroy(), this.#options.idleTimeoutMs)
          stuck.unref()
          drain.once('close', () => clearTimeout(stuck))
        }
        resolve(end)
      }
      const armIdle = (): void => {
        if (idle) idle.refresh()
        else idle = setTimeout(() => finish({ kind: 'dropped', reason: `no data for ${this.#options.idleTimeoutMs} ms` }), this.#options.idleTimeoutMs)
      }
      const onAbort = (): void => finish({ kind: 'aborted' })
      request.signal.addEventListener('abort', onAbort, { once: true })
      const outgoing = client.request(url, {
        method: 'POST',
        agent: this.#agent,
        headers: {
          ...authHeaders(this.#provider),
          'Content-Type': 'application/json',
          Accept: 'text/event-stream',
          'Content-Length': String(bytes)
        }
      })
      outgoing.on('error', (error) => finish({ kind: 'dropped', reason: `request failed: ${error.message}` }))
      outgoing.on('response', (response) => {
        const status = response.statusCode ?? 0
        if (status < 200 || status >= 300) {
          void readRefusalBody(response, this.#options.refusalReadMs).then((text) => finish(refusalFromBody(status, text, response.headers)))
          return
        }
        const tracker = new TurnTracker()
        const parser = createParser({
          onEvent: (message) => {
            if (done || message.data === '[DONE]') return
            const frame = frameOf(message.data)
            request.onFrame(frame)
            if (frame.kind !== 'event') return
            const end = tracker.observe(frame.event)
            if (end) return finish(end, end.kind === 'terminal' ? response : null)
            const pending = tracker.pendingEnd
            if (pending && !grace) grace = setTimeout(() => finish(pending), this.#options.errorGraceMs)
          }
        })
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => {
          armIdle()
          parser.feed(chunk)
        })
        response.on('end', () => finish(tracker.pendingEnd ?? { kind: 'dropped', reason: 'the stream ended before the response did' }))
        response.on('error', (error) => finish({ kind: 'dropped', reason: `stream error: ${error.message}` }))
      })
      armIdle()
      outgoing.end(body)
    })
    return { bytes, ended }
  }

  steer(): boolean {
    return false
  }

  close(): void {
    this.#agent.destroy()
  }
}
