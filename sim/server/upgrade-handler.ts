// The WebSocket handshake: path, bearer auth, and the refusals clients must handle (401, 426 when
// the server "does not do WebSockets", 429 with Retry-After). The 101 reaches the client one
// handshake cost plus a round trip after it connected, as over a real network.
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Socket } from 'node:net'
import type { WebSocketServer } from 'ws'
import { errors, httpErrorBody, type ApiError } from '../protocol/errors'
import { checkAuth } from './auth'
import type { ServerContext } from './server-context'
import type { SocketRegistry } from './socket-registry'
import { WsConnection } from './ws-connection'

const WS_PATHS = new Set(['/v1/responses', '/responses'])
const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 404: 'Not Found', 426: 'Upgrade Required', 429: 'Too Many Requests' }

export class UpgradeHandler {
  readonly connections = new Set<WsConnection>()

  constructor(
    private readonly context: ServerContext,
    private readonly sockets: SocketRegistry,
    private readonly wss: WebSocketServer
  ) {}

  handle(request: IncomingMessage, duplex: Duplex, head: Buffer): void {
    const socket = duplex as Socket
    socket.on('error', () => {
      // The client went away mid-handshake; nothing to answer.
    })
    this.context.recorder.wsHandshake()
    const info = this.sockets.get(socket)
    // Request travels one way, the answer the other way: the client sees it a round trip later.
    const answerAt = this.sockets.arrivalTime(info) + this.context.settings().latencyMs
    this.context.scheduler.at(answerAt, () => this.answer(request, socket, head, info.id))
  }

  private answer(request: IncomingMessage, socket: Socket, head: Buffer, connectionId: number): void {
    const { context } = this
    const path = new URL(request.url ?? '/', 'http://sim').pathname.replace(/\/+$/, '')
    if (!WS_PATHS.has(path)) return this.refuse(socket, errors.invalidUrl('GET', path))
    const authProblem = checkAuth(request.headers, context.settings().apiKey)
    if (authProblem) return this.refuse(socket, authProblem)
    const faults = context.faults()
    if (faults.has('no-websocket')) {
      return this.refuse(socket, { status: 426, type: 'invalid_request_error', code: null, message: 'WebSocket mode is not available on this server.', param: null })
    }
    const retryAfter = faults.upgradeRefusal()
    if (retryAfter !== null) return this.refuse(socket, errors.rateLimited(retryAfter))
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const info = context.recorder.connectionOpened(connectionId, 'ws')
      const connection = new WsConnection(ws, context, info)
      this.connections.add(connection)
      ws.on('close', () => this.connections.delete(connection))
    })
  }

  private refuse(socket: Socket, error: ApiError, headers: Record<string, string> = {}): void {
    if (socket.destroyed) return
    const body = JSON.stringify(httpErrorBody(error, this.context.settings().dialect))
    const lines = [
      `HTTP/1.1 ${error.status} ${STATUS_TEXT[error.status] ?? 'Error'}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      ...Object.entries({ ...error.headers, ...headers }).map(([name, value]) => `${name}: ${value}`)
    ]
    socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`)
  }
}
