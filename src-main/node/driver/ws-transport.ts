// One persistent WebSocket to the Responses API (`ws`), kept across turns. Liveness: a ping/pong
// watchdog and an idle-read timeout while a turn is in flight. No automatic reconnect and no
// send queue: after a drop the driver decides what to resend.
import { performance } from 'node:perf_hooks'
import WebSocket from 'ws'
import { frameOf } from './frames'
import { authHeaders, websocketUrl, type Provider } from './provider'
import type { InboundFrame, ModelTransport, SentTurn, TurnEnd, TurnRequest } from './transport'
import { TurnTracker } from './turn-tracker'
import { readRefusalBody, refusalFromBody } from './refusal'

export interface WsTransportOptions {
  handshakeTimeoutMs: number
  /** How long an `error` waits for the `response.failed` that usually follows it. */
  errorGraceMs: number
  pingIntervalMs: number
  pongTimeoutMs: number
  idleTimeoutMs: number
  /** How long the body of a refused upgrade is read before the refusal is reported with what came. */
  refusalReadMs: number
}

export const DEFAULT_WS_OPTIONS: WsTransportOptions = {
  handshakeTimeoutMs: 15_000,
  refusalReadMs: 10_000,
  errorGraceMs: 1000,
  pingIntervalMs: 20_000,
  pongTimeoutMs: 10_000,
  idleTimeoutMs: 300_000
}

interface ActiveTurn {
  onFrame: (frame: InboundFrame) => void
  tracker: TurnTracker
  finish: (end: TurnEnd) => void
  idleTimer: NodeJS.Timeout | null
  graceTimer: NodeJS.Timeout | null
}

let nextConnectionId = 1

export class WsTransport implements ModelTransport {
  readonly kind = 'ws' as const
  #provider: Provider
  #options: WsTransportOptions
  #socket: WebSocket | null = null
  /**
   * A handshake under way: a second `connect` waits for it instead of opening another socket, and
   * `close` cuts it, so nothing opens after the transport closed.
   */
  #opening: { socket: WebSocket; result: Promise<TurnEnd | null> } | null = null
  #connectionId: number | null = null
  #connectedAt: number | null = null
  #active: ActiveTurn | null = null
  #pingTimer: NodeJS.Timeout | null = null
  #pongTimer: NodeJS.Timeout | null = null
  /** Frames that arrive between turns (e.g. a connection-limit error) are handed to this listener. */
  #onStray: (frame: InboundFrame) => void

  constructor(provider: Provider, options: Partial<WsTransportOptions> = {}, onStray: (frame: InboundFrame) => void = () => {}) {
    this.#provider = provider
    this.#options = { ...DEFAULT_WS_OPTIONS, ...options }
    this.#onStray = onStray
  }

  get connectionId(): number | null {
    return this.#socket?.readyState === WebSocket.OPEN ? this.#connectionId : null
  }

  get connectedAt(): number | null {
    return this.connectionId === null ? null : this.#connectedAt
  }

  connect(): Promise<TurnEnd | null> {
    if (this.#socket?.readyState === WebSocket.OPEN) return Promise.resolve(null)
    if (this.#opening) return this.#opening.result
    this.#teardown()
    const socket = new WebSocket(websocketUrl(this.#provider.baseUrl), {
      headers: { ...authHeaders(this.#provider), 'OpenAI-Beta': 'responses_websockets=2026-02-06' },
      handshakeTimeout: this.#options.handshakeTimeoutMs,
      perMessageDeflate: false,
      followRedirects: false
    })
    const result = new Promise<TurnEnd | null>((resolve) => {
      let settled = false
      const settle = (end: TurnEnd | null): void => {
        if (settled) return
        settled = true
        if (this.#opening?.socket === socket) this.#opening = null
        resolve(end)
      }
      socket.on('unexpected-response', (_request, response) => {
        void readRefusalBody(response, this.#options.refusalReadMs).then((body) => {
          settle(refusalFromBody(response.statusCode ?? 0, body, response.headers))
          socket.terminate()
        })
      })
      socket.on('open', () => {
        this.#socket = socket
        this.#connectionId = nextConnectionId++
        this.#connectedAt = performance.now()
        this.#startWatchdog(socket)
        settle(null)
      })
      socket.on('message', (data, isBinary) => this.#receive(socket, data, isBinary))
      socket.on('pong', () => this.#clearPongTimer())
      socket.on('close', (code, reason) => {
        settle({ kind: 'dropped', reason: `connection closed before it opened (${code})` })
        this.#lost(socket, `connection closed (${code}${reason.length > 0 ? ` ${reason.toString()}` : ''})`)
      })
      socket.on('error', (error) => {
        settle({ kind: 'dropped', reason: `cannot connect: ${error.message}` })
        this.#lost(socket, `connection error: ${error.message}`)
      })
    })
    this.#opening = { socket, result }
    return result
  }

  send(request: TurnRequest): SentTurn {
    const socket = this.#socket
    const frame = JSON.stringify({ type: 'response.create', ...request.body })
    const bytes = Buffer.byteLength(frame)
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return { bytes: 0, ended: Promise.resolve({ kind: 'dropped', reason: 'not connected' }) }
    }
    if (this.#active) throw new Error('a turn is already in flight on this connection')
    const ended = new Promise<TurnEnd>((resolve) => {
      const active: ActiveTurn = {
        onFrame: request.onFrame,
        tracker: new TurnTracker(),
        idleTimer: null,
        graceTimer: null,
        finish: (end) => {
          if (this.#active !== active) return
          if (active.idleTimer) clearTimeout(active.idleTimer)
          if (active.graceTimer) clearTimeout(active.graceTimer)
          this.#active = null
          request.signal.removeEventListener('abort', onAbort)
          resolve(end)
        }
      }
      const onAbort = (): void => active.finish({ kind: 'aborted' })
      request.signal.addEventListener('abort', onAbort, { once: true })
      this.#active = active
      this.#armIdle(socket, active)
    })
    socket.send(frame, (error) => {
      if (error) this.#active?.finish({ kind: 'dropped', reason: `send failed: ${error.message}` })
    })
    return { bytes, ended }
  }

  steer(responseId: string, text: string): boolean {
    const socket = this.#socket
    if (!socket || socket.readyState !== WebSocket.OPEN || !this.#active) return false
    socket.send(JSON.stringify({ type: 'response.steer', previous_response_id: responseId, input: text }))
    return true
  }

  close(reason: string): void {
    const socket = this.#socket
    this.#active?.finish({ kind: 'aborted' })
    this.#opening?.socket.terminate()
    this.#opening = null
    this.#teardown()
    if (socket && socket.readyState === WebSocket.OPEN) socket.close(1000, reason.slice(0, 120))
  }

  #receive(socket: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
    if (socket !== this.#socket) return
    const active = this.#active
    const frame: InboundFrame = isBinary
      ? { kind: 'malformed', error: { code: 'binary_frame', message: 'binary frames are not part of the protocol', excerpt: '' } }
      : frameOf(data.toString())
    if (!active) {
      this.#onStray(frame)
      return
    }
    this.#armIdle(socket, active)
    active.onFrame(frame)
    if (frame.kind !== 'event') return
    const end = active.tracker.observe(frame.event)
    if (end) return active.finish(end)
    const pending = active.tracker.pendingEnd
    if (pending && !active.graceTimer) active.graceTimer = setTimeout(() => active.finish(pending), this.#options.errorGraceMs)
  }

  #armIdle(socket: WebSocket, active: ActiveTurn): void {
    // Every frame restarts the wait: `refresh` does it in place, without a new timer per frame.
    if (active.idleTimer) {
      active.idleTimer.refresh()
      return
    }
    active.idleTimer = setTimeout(() => {
      active.finish({ kind: 'dropped', reason: `no data for ${this.#options.idleTimeoutMs} ms` })
      socket.terminate()
    }, this.#options.idleTimeoutMs)
  }

  #startWatchdog(socket: WebSocket): void {
    this.#pingTimer = setInterval(() => {
      if (this.#pongTimer) return
      socket.ping()
      this.#pongTimer = setTimeout(() => {
        this.#pongTimer = null
        socket.terminate()
      }, this.#options.pongTimeoutMs)
    }, this.#options.pingIntervalMs)
  }

  #clearPongTimer(): void {
    if (this.#pongTimer) clearTimeout(this.#pongTimer)
    this.#pongTimer = null
  }

  #lost(socket: WebSocket, reason: string): void {
    if (socket !== this.#socket) return
    this.#active?.finish(this.#active.tracker.pendingEnd ?? { kind: 'dropped', reason })
    this.#teardown()
  }

  #teardown(): void {
    if (this.#pingTimer) clearInterval(this.#pingTimer)
    this.#pingTimer = null
    this.#clearPongTimer()
    this.#socket = null
    this.#connectionId = null
    this.#connectedAt = null
  }
}
