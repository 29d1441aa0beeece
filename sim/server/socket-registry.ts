// Per TCP connection facts the transports need: an id, when it was accepted (the emulated
// handshake is paid from then), and its outbound delay line.
import type { Socket } from 'node:net'
import { DelayLine } from '../net/delay-line'
import type { ConnectionInfo } from './recorder'
import type { ServerContext } from './server-context'

export interface SocketInfo {
  id: number
  socket: Socket
  connectedAt: number
  outbound: DelayLine
  /** Set when the connection has carried an HTTP API request. */
  http: ConnectionInfo | null
}

export class SocketRegistry {
  private readonly bySocket = new Map<Socket, SocketInfo>()

  constructor(private readonly context: ServerContext) {}

  accept(socket: Socket): void {
    const { scheduler, recorder } = this.context
    const info: SocketInfo = {
      id: recorder.tcpConnection(),
      socket,
      connectedAt: scheduler.now(),
      outbound: new DelayLine(scheduler, () => this.context.settings().latencyMs),
      http: null
    }
    this.bySocket.set(socket, info)
    socket.on('close', () => {
      this.bySocket.delete(socket)
      if (info.http && info.http.closedAt === null) recorder.connectionClosed(info.http, null)
    })
  }

  get(socket: Socket): SocketInfo {
    const info = this.bySocket.get(socket)
    if (!info) throw new Error('socket was not registered on connection')
    return info
  }

  /**
   * When a message that reached the server now is "received" on the emulated link: one-way
   * latency after it was sent, and never before the connection's handshake has completed.
   */
  arrivalTime(info: SocketInfo): number {
    const { latencyMs, handshakeMs } = this.context.settings()
    return Math.max(this.context.scheduler.now() + latencyMs, info.connectedAt + handshakeMs + latencyMs)
  }

  destroyAll(): void {
    for (const socket of this.bySocket.keys()) socket.destroy()
  }
}
