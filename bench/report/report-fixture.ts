// A small, hand-made benchmark report for the report tests.
import type { ClientId } from '../transport/clients/client'
import type { ClientSummary } from '../transport/results'
import type { BenchReport } from './document'

const LABELS: Partial<Record<ClientId, string>> = { 'tether-ws': 'Tether, WebSocket', 'tether-sse': 'Tether, HTTP+SSE keep-alive' }

export function summaryRow(client: ClientId, rttMs: number, e2eMs: number, overrides: Partial<ClientSummary> = {}): ClientSummary {
  return {
    variant: 'base',
    client,
    label: LABELS[client] ?? client,
    pattern: client.includes('ws') ? 'websocket' : 'http-keep-alive',
    continuation: '',
    rttMs,
    runs: 3,
    e2eMs,
    e2eP90Ms: e2eMs + 10,
    e2eMinMs: e2eMs - 10,
    e2eWithoutToolsMs: e2eMs - 1000,
    floorMs: 3000 + rttMs * 10,
    vsFloor: e2eMs / (3000 + rttMs * 10),
    vsFloorNet: (e2eMs - 20) / (3000 + rttMs * 10),
    overheadMs: e2eMs - 3000 - rttMs * 10,
    overheadPerCallMs: (e2eMs - 3000 - rttMs * 10) / 30,
    overheadPerCallP90Ms: 0,
    simOwnMs: 20,
    clientOverheadMs: e2eMs - 3020 - rttMs * 10,
    clientOverheadPerCallMs: (e2eMs - 3020 - rttMs * 10) / 30,
    bytesPerTurn: client.includes('ws') ? 6000 : 23000,
    requests: 16,
    modelMs: 2360,
    renderMs: 0,
    networkMs: rttMs * 10,
    toolMs: 950,
    setupMs: 50,
    hostRoundTripMs: 30,
    tcpConnections: 1,
    wsConnections: client.includes('ws') ? 1 : 0,
    profile: client.startsWith('tether') ? { gateMs: 12.5, cpuPerCallMs: 1.5, busyPerCallMs: 1.25 } : { cpuPerCallMs: 0.75, busyPerCallMs: 0.5 },
    ...overrides
  }
}

export const REPORT: BenchReport = {
  generatedAt: '2026-11-27T15:00:00.000Z',
  machine: { cpu: 'Test CPU', cores: 2, memoryGb: 8, node: 'v20.20.2', os: 'Linux', loadAverage: { start: 0.5, end: 0.7 } },
  arguments: [],
  transport: {
    config: { scenario: 'spec-to-pr', handshakeMs: 30, rttsMs: [0, 80], repetitions: 3, warmups: 1, renderCostPerItemMs: 0, renderRttsMs: [], renderRepetitions: 0 },
    clients: [
      { id: 'tether-ws', label: 'Tether, WebSocket', pattern: 'websocket', continuation: 'incremental' },
      { id: 'tether-sse', label: 'Tether, HTTP+SSE keep-alive', pattern: 'http-keep-alive', continuation: 'full' }
    ],
    results: [summaryRow('tether-ws', 0, 3100), summaryRow('tether-sse', 0, 3200), summaryRow('tether-ws', 80, 4500), summaryRow('tether-sse', 80, 5400)],
    floors: [
      { variant: 'base', rttMs: 0, turns: 16, toolCalls: 30, modelMs: 2360, networkMs: { websocket: 30, 'http-keep-alive': 30, 'http-per-turn': 480 } },
      { variant: 'base', rttMs: 80, turns: 16, toolCalls: 30, modelMs: 2360, networkMs: { websocket: 1390, 'http-keep-alive': 1310, 'http-per-turn': 1760 } }
    ],
    calibrations: [{ variant: 'base', rttMs: 0, runs: 3, perTurnMs: 1.25, perRunMs: 20 }],
    diskSync: { directory: '/var/tmp/x', samples: 100, p50Ms: 0.5, p90Ms: 1.25 },
    ratios: [{ variant: 'base', rttMs: 80, websocket: 'tether-ws', http: 'tether-sse', ratio: 1.2, savedPercent: 16.7, ratioWithoutTools: 1.28 }],
    targets: [{ target: 'Tether over WebSocket within 5% of the floor', rttMs: 0, measured: 1.03, measuredRaw: 1.033, limit: 1.05, unit: 'x floor', met: true }],
    samples: []
  },
  throughput: [
    { name: 'foundation', covers: 'reducer, replay, log append', status: 'ok', command: 'node bench/foundation/run.mjs', durationMs: 1500, exitCode: 0, json: null, text: 'reducer 1,000,000/s', stderr: null },
    { name: 'ui', covers: 'UI update pipeline', status: 'missing', reason: 'bench/ui has no run.mjs or run.js' }
  ]
}
