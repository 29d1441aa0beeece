// What a test or a benchmark wants to know about a run: every client message as received (bytes
// included), every response the server started and how it ended, and connection counts.
import type { PlayedTurn } from '../model/scripted-model'
import type { Transport } from '../protocol/create-request'

export interface ReceivedMessage {
  transport: Transport
  /** The TCP connection it arrived on (a WebSocket keeps the id of its socket). */
  connectionId: number
  /** Milliseconds since the server started. */
  at: number
  bytes: number
  text: string
  /** The parsed JSON, or undefined when the payload was not JSON. */
  body: unknown
}

export type ResponseOutcome = 'running' | 'completed' | 'incomplete' | 'failed' | 'errored' | 'dropped'

export interface ResponseLogEntry {
  id: string
  transport: Transport
  connectionId: number
  streamId: string | null
  previousResponseId: string | null
  /** Where the parent came from: this connection's cache or persisted storage. */
  parentSource: 'connection' | 'store' | null
  inputItems: number
  contextItems: number
  turn: PlayedTurn
  outcome: ResponseOutcome
}

export interface ConnectionInfo {
  id: number
  transport: Transport
  openedAt: number
  closedAt: number | null
  /** WebSocket close code as seen by the server (1006 after a drop). */
  closeCode: number | null
  eventsSent: number
  /** Payload bytes of those events (WebSocket message text, or SSE text with its framing). */
  bytesSent: number
}

export interface SimStats {
  tcpConnections: number
  /** Upgrade requests received, refused ones included. */
  wsHandshakes: number
  /** Upgrades accepted. */
  wsConnections: number
  openWsConnections: number
  httpRequests: number
  messagesReceived: number
  eventsSent: number
  responses: number
}

export class Recorder {
  readonly received: ReceivedMessage[] = []
  readonly responses: ResponseLogEntry[] = []
  private readonly connectionsById = new Map<number, ConnectionInfo>()
  private counts = { tcpConnections: 0, wsHandshakes: 0, wsConnections: 0, httpRequests: 0, eventsSent: 0 }

  constructor(
    private readonly clock: () => number,
    private readonly onResponseEnded: (entry: ResponseLogEntry) => void = () => {},
    /** A long-running server (the CLI) does not keep every client message. */
    private readonly keepMessages = true
  ) {}

  tcpConnection(): number {
    return ++this.counts.tcpConnections
  }

  wsHandshake(): void {
    this.counts.wsHandshakes++
  }

  httpRequest(): void {
    this.counts.httpRequests++
  }

  connectionOpened(id: number, transport: Transport): ConnectionInfo {
    if (transport === 'ws') this.counts.wsConnections++
    const info: ConnectionInfo = { id, transport, openedAt: this.clock(), closedAt: null, closeCode: null, eventsSent: 0, bytesSent: 0 }
    this.connectionsById.set(id, info)
    return info
  }

  connectionClosed(info: ConnectionInfo, closeCode: number | null): void {
    info.closedAt = this.clock()
    info.closeCode = closeCode
  }

  eventSent(info: ConnectionInfo, bytes: number): void {
    info.eventsSent++
    info.bytesSent += bytes
    this.counts.eventsSent++
  }

  message(transport: Transport, connectionId: number, text: string, bytes: number): unknown {
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      body = undefined
    }
    if (this.keepMessages) this.received.push({ transport, connectionId, at: this.clock(), bytes, text, body })
    return body
  }

  responseStarted(entry: Omit<ResponseLogEntry, 'outcome'>): ResponseLogEntry {
    const logged: ResponseLogEntry = { ...entry, outcome: 'running' }
    this.responses.push(logged)
    return logged
  }

  responseEnded(entry: ResponseLogEntry, outcome: Exclude<ResponseOutcome, 'running'>): void {
    entry.outcome = outcome
    this.onResponseEnded(entry)
  }

  connections(): ConnectionInfo[] {
    return [...this.connectionsById.values()].map((info) => ({ ...info }))
  }

  stats(): SimStats {
    const infos = [...this.connectionsById.values()]
    return {
      ...this.counts,
      openWsConnections: infos.filter((info) => info.transport === 'ws' && info.closedAt === null).length,
      messagesReceived: this.received.length,
      responses: this.responses.length
    }
  }
}
