// What the transport benchmark measures, per run and per client and network setting.
import type { ClientId } from './clients/client'
import type { DiskSyncLatency } from './disk-probe'
import type { ConnectionPattern } from './floor'

export interface RunSample {
  variant: string
  client: ClientId
  rttMs: number
  repetition: number
  e2eMs: number
  /** Scripted model time (time to first item and token pacing), every turn. */
  modelMs: number
  /** Server-side re-rendering the client's requests caused. */
  renderMs: number
  /** Emulated network time on the critical path for the client's connection pattern. */
  networkMs: number
  /** Tool host time of the run's calls, overlaps merged. */
  toolMs: number
  /** Opening the run's sandbox. */
  setupMs: number
  floorMs: number
  /** e2e - floor, as the brief defines it: includes the sim's own processing time. */
  overheadMs: number
  overheadPerCallMs: number
  /** The sim's own time (calibrated by the bare probe, median for this variant and RTT) for this run's requests. */
  simOwnMs: number
  /** overhead minus the sim's own time: what the client itself added. */
  clientOverheadMs: number
  clientOverheadPerCallMs: number
  requests: number
  toolCalls: number
  bytesPerTurn: number
  bytesTotal: number
  tcpConnections: number
  wsConnections: number
  /** The tool host round trips (the same runtime for every client), part of the overhead. */
  hostRoundTripMs: number
  profile: Record<string, number>
}

export interface ClientSummary {
  variant: string
  client: ClientId
  label: string
  pattern: ConnectionPattern
  continuation: string
  rttMs: number
  runs: number
  /** Medians unless named otherwise. */
  e2eMs: number
  e2eP90Ms: number
  e2eMinMs: number
  /** Per run e2e minus tool and sandbox time, then the median: what model, network and client took. */
  e2eWithoutToolsMs: number
  floorMs: number
  /** e2eMs / floorMs. */
  vsFloor: number
  /** (e2eMs - simOwnMs) / floorMs: against the floor once the sim's own time is taken out. */
  vsFloorNet: number
  overheadMs: number
  overheadPerCallMs: number
  overheadPerCallP90Ms: number
  simOwnMs: number
  clientOverheadMs: number
  clientOverheadPerCallMs: number
  bytesPerTurn: number
  requests: number
  modelMs: number
  renderMs: number
  networkMs: number
  toolMs: number
  setupMs: number
  hostRoundTripMs: number
  tcpConnections: number
  wsConnections: number
  profile: Record<string, number>
}

/** The floor of a zero-overhead client before tools, straight from the scenario and the emulation. */
export interface ComputedFloor {
  variant: string
  rttMs: number
  turns: number
  toolCalls: number
  modelMs: number
  networkMs: Record<ConnectionPattern, number>
}

/**
 * What a bare client measures beyond model time and network: the sim's own processing, loopback
 * and event parsing. Part of every client's overhead; shown so it is not mistaken for theirs.
 */
export interface SimCalibration {
  variant: string
  rttMs: number
  runs: number
  /** Median over probe runs of the run's own sim time divided by its turns. */
  perTurnMs: number
  /** Median over probe runs of the run's own sim time. */
  perRunMs: number
}

export interface TransportResults {
  /** fdatasync latency of a small append in the runs' directory, measured before the runs. */
  diskSync: DiskSyncLatency
  scenario: string
  handshakeMs: number
  samples: RunSample[]
  summaries: ClientSummary[]
  floors: ComputedFloor[]
  calibrations: SimCalibration[]
}
