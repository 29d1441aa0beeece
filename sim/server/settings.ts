// Per-server settings. Everything except the listening address can change while the server runs
// (`SimServer.configure`); changes apply to the next message, request or connection.
import { parseFault, type FaultSpec } from '../faults/fault-spec'
import { loadScenario } from '../scenarios/load-scenario'
import type { Scenario, Timing } from '../scenarios/scenario-schema'
import type { ResponseLogEntry } from './recorder'

export const DEFAULT_CONNECTION_AGE_LIMIT_MS = 60 * 60 * 1000

export interface SimSettings {
  scenario: Scenario
  /** Faults on top of the scenario's own `faults`. */
  faults: FaultSpec[]
  /** Added one-way latency per message, both directions, both transports. */
  latencyMs: number
  /** Cost of every new TCP connection (TCP + TLS setup), paid before its first request is read. */
  handshakeMs: number
  /** WebSocket connection age after which `response.create` gets `websocket_connection_limit_reached`. */
  connectionAgeLimitMs: number
  /** The accepted bearer token; null accepts any non-empty token. */
  apiKey: string | null
  /** Overrides the scenario's (and its turns') timing. */
  timing: Partial<Timing>
  /** Whose answers to give where servers differ (see sim/README.md, "xAI mode"). */
  dialect: SimDialect
}

export type SimDialect = 'openai' | 'xai'

export interface SimConfig {
  /** A scenario object, a built-in scenario name, or a path to a scenario JSON file. */
  scenario?: Scenario | string
  /** Fault specs (`drop-once:12`, ...) or parsed faults. */
  faults?: Array<string | FaultSpec>
  latencyMs?: number
  handshakeMs?: number
  connectionAgeLimitMs?: number
  apiKey?: string | null
  timing?: Partial<Timing>
  dialect?: SimDialect
}

export interface SimOptions extends SimConfig {
  /** 0 (default) picks a free port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /** Fixes the id tag (ids become `resp_<tag><counter>`); random by default. */
  idTag?: string
  /** Negotiate permessage-deflate when a client offers it (the real server does). Default true. */
  perMessageDeflate?: boolean
  /** Keep every client message in `received` (default true; a long-running server may turn it off). */
  recordMessages?: boolean
  /** Called whenever a response ends (completed, incomplete, failed, errored or dropped). */
  onResponseEnded?: (entry: ResponseLogEntry) => void
}

export const DEFAULT_SCENARIO = 'spec-to-pr'

function toFault(fault: string | FaultSpec): FaultSpec {
  if (typeof fault !== 'string') return fault
  const parsed = parseFault(fault)
  if (!parsed.ok) throw new Error(parsed.message)
  return parsed.fault
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got ${value}`)
  return value
}

/** Applies a patch to settings (or to the defaults); throws a clear error on a bad value. */
export function applyConfig(base: SimSettings | null, patch: SimConfig): SimSettings {
  const scenario = patch.scenario === undefined ? (base?.scenario ?? loadScenario(DEFAULT_SCENARIO)) : typeof patch.scenario === 'string' ? loadScenario(patch.scenario) : patch.scenario
  return {
    scenario,
    faults: patch.faults === undefined ? (base?.faults ?? []) : patch.faults.map(toFault),
    latencyMs: nonNegative('latencyMs', patch.latencyMs ?? base?.latencyMs ?? 0),
    handshakeMs: nonNegative('handshakeMs', patch.handshakeMs ?? base?.handshakeMs ?? 0),
    connectionAgeLimitMs: nonNegative('connectionAgeLimitMs', patch.connectionAgeLimitMs ?? base?.connectionAgeLimitMs ?? DEFAULT_CONNECTION_AGE_LIMIT_MS),
    apiKey: patch.apiKey === undefined ? (base?.apiKey ?? null) : patch.apiKey,
    timing: patch.timing ?? base?.timing ?? {},
    dialect: patch.dialect ?? base?.dialect ?? 'openai'
  }
}

/** The scenario's faults followed by the configured ones. */
export function effectiveFaults(settings: SimSettings): FaultSpec[] {
  return [...(settings.scenario.faults ?? []).map(toFault), ...settings.faults]
}
