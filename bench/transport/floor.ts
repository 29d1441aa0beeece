// The floor: what a client with zero overhead would take on the emulated network. The sim adds
// the one-way latency L to every message in both directions and charges the handshake cost H to
// every new TCP connection before its first request is read; a WebSocket upgrade is a round trip
// on top of that. Model time comes from the scenario, computed by the code that streams it.
import { assertNever } from '../../src-main/common/run/records'

/** How a client uses connections during one run. */
export type ConnectionPattern = 'websocket' | 'http-keep-alive' | 'http-per-turn'

export interface NetworkEmulation {
  /** One-way latency per message (RTT / 2). */
  latencyMs: number
  /** Per new TCP connection (TCP + TLS setup). */
  handshakeMs: number
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

export interface FloorParts {
  /** The scenario's model time: time to first item plus token pacing, every turn. */
  modelMs: number
  /** Server-side re-rendering the client's requests caused (0 unless renderCostPerItemMs is set). */
  renderMs: number
  networkMs: number
  /** The run's measured tool time and sandbox setup: a zero-overhead client runs the same tools. */
  toolMs: number
}

export function floorMs(parts: FloorParts): number {
  return parts.modelMs + parts.renderMs + parts.networkMs + parts.toolMs
}
