// The floor: what a client with zero overhead would take on the emulated network. The sim adds
// the one-way latency L to every message in both directions and charges the handshake cost H to
// every new TCP connection before its first request is read; a WebSocket upgrade is a round trip
// on top of that. Model time comes from the scenario, computed by the code that streams it.
// Opening the run's first connection needs nothing from the sandbox, so a client without overhead
// does both at once: the floor charges the longer of the two, not their sum.
import { assertNever } from '../../src-main/common/run/records'

/** How a client uses connections during one run. */
export type ConnectionPattern = 'websocket' | 'http-keep-alive' | 'http-per-turn'

export interface NetworkEmulation {
  /** One-way latency per message (RTT / 2). */
  latencyMs: number
  /** Per new TCP connection (TCP + TLS setup). */
  handshakeMs: number
}

/** The emulated network at a round-trip time: half of it each way. */
export function networkOf(rttMs: number, handshakeMs: number): NetworkEmulation {
  return { latencyMs: rttMs / 2, handshakeMs }
}

/**
 * Network time on the critical path of `turns` requests: each turn waits for its request to
 * arrive (L) and for the last event to come back (L); connections add H (and the upgrade 2L).
 */
export function networkFloorMs(pattern: ConnectionPattern, turns: number, network: NetworkEmulation): number {
  const { latencyMs: L, handshakeMs: H } = network
  const perTurn = 2 * L
  switch (pattern) {
    case 'websocket':
      return H + 2 * L + turns * perTurn
    case 'http-keep-alive':
      return H + turns * perTurn
    case 'http-per-turn':
      return turns * (H + perTurn)
    default:
      return assertNever(pattern, 'connection pattern')
  }
}

/** What opening the run's first connection costs: its handshake, and a WebSocket's upgrade round trip. */
export function firstConnectionMs(pattern: ConnectionPattern, network: NetworkEmulation): number {
  switch (pattern) {
    case 'websocket':
      return network.handshakeMs + 2 * network.latencyMs
    case 'http-keep-alive':
    case 'http-per-turn':
      return network.handshakeMs
    default:
      return assertNever(pattern, 'connection pattern')
  }
}

export interface FloorParts {
  /** The scenario's model time: time to first item plus token pacing, every turn. */
  modelMs: number
  /** Server-side re-rendering the client's requests caused (0 unless renderCostPerItemMs is set). */
  renderMs: number
  /** All network time on the critical path, the first connection's included. */
  networkMs: number
  /** The part of `networkMs` that opens the first connection. */
  firstConnectionMs: number
  /** The run's measured tool time: a zero-overhead client runs the same tools. */
  toolMs: number
  /** Opening the run's sandbox, measured. */
  setupMs: number
}

export function floorMs(parts: FloorParts): number {
  const { modelMs, renderMs, networkMs, firstConnectionMs, toolMs, setupMs } = parts
  return modelMs + renderMs + networkMs - firstConnectionMs + toolMs + Math.max(setupMs, firstConnectionMs)
}
