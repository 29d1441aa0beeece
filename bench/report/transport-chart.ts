// The transport chart: end-to-end time against RTT per client with the floor, and the same with
// the tool time taken out (tools are identical for every client, and their run time is the
// noisiest part of a run), which leaves model, network and client time.
import type { ClientId } from '../transport/clients/client'
import type { ClientSummary, ComputedFloor } from '../transport/results'
import { firstConnectionMs, floorMs, networkOf } from '../transport/floor'
import { median } from '../transport/stats'
import { describeMachine, type MachineInfo } from './machine'
import { renderChart, type Series } from './svg-chart'

const STYLE: Record<ClientId, { color: string; emphasis?: boolean; dashed?: boolean }> = {
  'tether-ws': { color: '#1559c7', emphasis: true },
  'tether-sse': { color: '#6f9fe6' },
  'tether-sse-per-turn': { color: '#a9c4ee' },
  'sdk-http': { color: '#c8322b' },
  'sdk-ws': { color: '#e8892b' },
  'agents-ws': { color: '#2e9a48' }
}

const FLOOR_COLOR = '#555555'

export interface TransportChartInput {
  summaries: readonly ClientSummary[]
  floors: readonly ComputedFloor[]
  scenario: string
  handshakeMs: number
  machine: MachineInfo
  generatedAt: string
  variant?: string
}

export function transportChart(input: TransportChartInput): string {
  const variant = input.variant ?? 'base'
  const summaries = input.summaries.filter((summary) => summary.variant === variant)
  const floors = input.floors.filter((floor) => floor.variant === variant)
  const clients = [...new Set(summaries.map((summary) => summary.client))]
  const seconds = (ms: number): number => ms / 1000
  const perClient = (value: (summary: ClientSummary) => number): Series[] =>
    clients.map((client) => {
      const rows = summaries.filter((summary) => summary.client === client)
      return { label: rows[0]?.label ?? client, ...STYLE[client], points: rows.map((row) => ({ x: row.rttMs, y: seconds(value(row)) })) }
    })
  const medianAt = (rttMs: number, value: (summary: ClientSummary) => number): number => median(summaries.filter((summary) => summary.rttMs === rttMs).map(value))
  // The right panel takes each run's tool and sandbox time out, so its floor does too.
  const floorAt = (floor: ComputedFloor, withTools: boolean): number => {
    const setupMs = medianAt(floor.rttMs, (summary) => summary.setupMs)
    const whole = floorMs({
      modelMs: floor.modelMs,
      renderMs: 0,
      networkMs: floor.networkMs.websocket,
      firstConnectionMs: firstConnectionMs('websocket', networkOf(floor.rttMs, input.handshakeMs)),
      toolMs: withTools ? medianAt(floor.rttMs, (summary) => summary.toolMs) : 0,
      setupMs
    })
    return withTools ? whole : whole - setupMs
  }
  const floorSeries = (withTools: boolean): Series => ({
    label: 'Floor: zero-overhead client on one WebSocket',
    color: FLOOR_COLOR,
    dashed: true,
    points: floors.map((floor) => ({ x: floor.rttMs, y: seconds(floorAt(floor, withTools)) }))
  })
  const runs = Math.min(...summaries.map((summary) => summary.runs))
  const first = floors[0]
  return renderChart({
    title: `A ${first?.toolCalls ?? ''}-tool-call agent run (${input.scenario}) against network round-trip time`,
    subtitle: `Medians of ${runs} run${runs === 1 ? '' : 's'} per point, interleaved; ${first?.turns ?? ''} model turns; ${input.handshakeMs} ms per new TCP+TLS connection; lower is better.`,
    xLabel: 'round-trip time (ms)',
    panels: [
      { title: 'End-to-end time', yLabel: 'seconds', series: [...perClient((row) => row.e2eMs), floorSeries(true)] },
      { title: 'End-to-end minus tool time', yLabel: 'seconds', series: [...perClient((row) => row.e2eWithoutToolsMs), floorSeries(false)] }
    ],
    footer: [
      'Floor = scripted model time + emulated network, the socket opening while the sandbox starts',
      '(left panel: + the median measured tool and sandbox time).',
      'Every client runs against the same sim process with the same sandboxed tools.',
      `Measured on ${describeMachine(input.machine)}; ${input.generatedAt}.`
    ]
  })
}
