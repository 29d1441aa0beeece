// Messages between the benchmark and the sim it runs in a child process. The model server lives
// in its own process so that its work (parsing requests, serializing and pacing events) never
// runs on the event loop of the client being measured, as with a real remote server.
import type { Timing } from '../../sim'

export interface SimRunConfig {
  /** A built-in scenario name or a path to a scenario file. */
  scenario: string
  latencyMs: number
  handshakeMs: number
  timing: Partial<Timing>
}

/** What the server saw of one run: enough to check it and to price it. */
export interface SimRunSummary {
  /** Body bytes of every client message (HTTP request bodies, WebSocket message payloads). */
  requestBytes: number[]
  /** How many items each request asked the server to re-render (the renderCostPerItemMs basis). */
  renderedItems: number[]
  /** Responses by outcome: a clean run has only `completed` ones, one per scripted turn. */
  outcomes: Record<string, number>
  tcpConnections: number
  wsConnections: number
  httpRequests: number
}

export type SimRequest = { type: 'start'; config: SimRunConfig } | { type: 'finish' }

export type SimReply =
  | { type: 'started'; baseUrl: string }
  | { type: 'finished'; summary: SimRunSummary }
  | { type: 'failed'; message: string }
