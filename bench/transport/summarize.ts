// Run samples folded into one line per variant, client and network setting: medians, with the
// 90th percentile and minimum of the end-to-end time beside them.
import type { BenchClient } from './clients/client'
import type { ClientSummary, RunSample } from './results'
import { median, percentile } from './stats'

type Described = Pick<BenchClient, 'id' | 'label' | 'pattern' | 'continuation'>

function medianOf(samples: readonly RunSample[], pick: (sample: RunSample) => number): number {
  return median(samples.map(pick))
}

function profileMedians(samples: readonly RunSample[]): Record<string, number> {
  const keys = [...new Set(samples.flatMap((sample) => Object.keys(sample.profile)))]
  return Object.fromEntries(keys.map((key) => [key, median(samples.map((sample) => sample.profile[key] ?? 0))]))
}

export function summarize(samples: readonly RunSample[], clients: readonly Described[]): ClientSummary[] {
  const groups = new Map<string, RunSample[]>()
  for (const sample of samples) {
    const key = `${sample.variant}\u0000${sample.client}\u0000${sample.rttMs}`
    const group = groups.get(key)
    if (group) group.push(sample)
    else groups.set(key, [sample])
  }
  const summaries: ClientSummary[] = []
  for (const group of groups.values()) {
    const first = group[0] as RunSample
    const client = clients.find((candidate) => candidate.id === first.client)
    if (!client) throw new Error(`no description of client ${first.client}`)
    const e2e = group.map((sample) => sample.e2eMs)
    const e2eMs = median(e2e)
    const floorMs = medianOf(group, (sample) => sample.floorMs)
    summaries.push({
      variant: first.variant,
      client: client.id,
      label: client.label,
      pattern: client.pattern,
      continuation: client.continuation,
      rttMs: first.rttMs,
      runs: group.length,
      e2eMs,
      e2eP90Ms: percentile(e2e, 0.9),
      e2eMinMs: Math.min(...e2e),
      e2eWithoutToolsMs: medianOf(group, (sample) => sample.e2eMs - sample.toolMs - sample.setupMs),
      floorMs,
      vsFloor: e2eMs / floorMs,
      vsFloorNet: (e2eMs - medianOf(group, (sample) => sample.simOwnMs)) / floorMs,
      overheadMs: medianOf(group, (sample) => sample.overheadMs),
      overheadPerCallMs: medianOf(group, (sample) => sample.overheadPerCallMs),
      overheadPerCallP90Ms: percentile(
        group.map((sample) => sample.overheadPerCallMs),
        0.9
      ),
      simOwnMs: medianOf(group, (sample) => sample.simOwnMs),
      clientOverheadMs: medianOf(group, (sample) => sample.clientOverheadMs),
      clientOverheadPerCallMs: medianOf(group, (sample) => sample.clientOverheadPerCallMs),
      bytesPerTurn: medianOf(group, (sample) => sample.bytesPerTurn),
      requests: medianOf(group, (sample) => sample.requests),
      modelMs: medianOf(group, (sample) => sample.modelMs),
      renderMs: medianOf(group, (sample) => sample.renderMs),
      networkMs: medianOf(group, (sample) => sample.networkMs),
      toolMs: medianOf(group, (sample) => sample.toolMs),
      setupMs: medianOf(group, (sample) => sample.setupMs),
      hostRoundTripMs: medianOf(group, (sample) => sample.hostRoundTripMs),
      tcpConnections: medianOf(group, (sample) => sample.tcpConnections),
      wsConnections: medianOf(group, (sample) => sample.wsConnections),
      profile: profileMedians(group)
    })
  }
  return summaries
}
