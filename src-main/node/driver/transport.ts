// The driver's view of a model connection. WebSocket and HTTP+SSE differ in how a request
// travels; both deliver the same frames and end a turn the same ways.
import type { ProtocolError } from '../../common/protocol/parse-server-frame'
import type { ServerEvent, WireError } from '../../common/protocol/wire'
import type { Transport } from '../../common/run/records'

export type InboundFrame = { kind: 'event'; event: ServerEvent } | { kind: 'malformed'; error: ProtocolError }

export type TurnEnd =
  /** The last response reached completed, incomplete or failed. */
  | { kind: 'terminal'; event: Extract<ServerEvent, { type: 'response.completed' | 'response.failed' | 'response.incomplete' }> }
  /** An `error` event ended the turn (either shape). */
  | { kind: 'error'; error: WireError }
  /** The connection went away, or went silent past the idle timeout, before a terminal event. */
  | { kind: 'dropped'; reason: string }
  /** The server refused the request before streaming (HTTP status on upgrade or POST). */
  | { kind: 'refused'; status: number; code: string | null; type: string | null; message: string; headers: Record<string, string> | null }
  | { kind: 'aborted' }

export interface TurnRequest {
  /** The `response.create` body without `type`/`stream`: each transport adds its own envelope. */
  body: Record<string, unknown>
  onFrame: (frame: InboundFrame) => void
  signal: AbortSignal
}

export interface SentTurn {
  /** Bytes of the request as it went on the wire (frame or HTTP body). */
  bytes: number
  /** Resolves when the turn ends; never rejects. */
  ended: Promise<TurnEnd>
}

export interface ModelTransport {
  readonly kind: Transport
  /** Identifies the current connection; server-side response caches live and die with it. */
  readonly connectionId: number | null
  /** When the current connection opened (ms, monotonic clock), for rotation. */
  readonly connectedAt: number | null
  /** Opens a connection if none is usable. Resolves to the refusal if the server refused it. */
  connect(): Promise<TurnEnd | null>
  send(request: TurnRequest): SentTurn
  /** Sends `response.steer` for an active response; false where the transport cannot. */
  steer(responseId: string, text: string): boolean
  close(reason: string): void
}

export class TransportError extends Error {}
