// The machine-readable report: what `--json` prints and bench/results/latest.json holds.
import type { SuiteResult } from '../throughput/gather'
import type { BenchClient } from '../transport/clients/client'
import type { DiskSyncLatency } from '../transport/disk-probe'
import type { ClientSummary, ComputedFloor, RunSample, SimCalibration, TransportResults } from '../transport/results'
import { targetChecks, transportRatios, type TargetCheck, type TransportRatio } from './findings'
import type { MachineInfo } from './machine'

export interface TransportConfig {
  scenario: string
  handshakeMs: number
  rttsMs: number[]
  repetitions: number
  warmups: number
  renderCostPerItemMs: number
  renderRttsMs: number[]
  renderRepetitions: number
}

export interface TransportSection {
  config: TransportConfig
  clients: Array<Pick<BenchClient, 'id' | 'label' | 'pattern' | 'continuation'>>
  /** One entry per variant, client and RTT: e2eMs, floorMs, overheadPerCallMs, bytesPerTurn, ... */
  results: ClientSummary[]
  floors: ComputedFloor[]
  calibrations: SimCalibration[]
  diskSync: DiskSyncLatency
  ratios: TransportRatio[]
  targets: TargetCheck[]
  samples: RunSample[]
}

export interface BenchReport {
  generatedAt: string
  machine: MachineInfo
  arguments: string[]
  transport: TransportSection | null
  throughput: SuiteResult[] | null
}

export function transportSection(results: TransportResults, config: TransportConfig, clients: readonly BenchClient[]): TransportSection {
  return {
    config,
    clients: clients.map(({ id, label, pattern, continuation }) => ({ id, label, pattern, continuation })),
    results: results.summaries,
    floors: results.floors,
    calibrations: results.calibrations,
    diskSync: results.diskSync,
    ratios: transportRatios(results.summaries),
    targets: targetChecks(results.summaries),
    samples: results.samples
  }
}
