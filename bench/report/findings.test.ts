import { describe, expect, it } from 'vitest'
import type { ClientId } from '../transport/clients/client'
import type { ClientSummary } from '../transport/results'
import { targetChecks, transportRatios } from './findings'

function row(client: ClientId, rttMs: number, numbers: Partial<ClientSummary>): ClientSummary {
  return {
    variant: 'base',
    client,
    label: client,
    pattern: 'websocket',
    continuation: '',
    rttMs,
    runs: 5,
    e2eMs: 1000,
    e2eP90Ms: 1000,
    e2eMinMs: 1000,
    e2eWithoutToolsMs: 800,
    floorMs: 1000,
    vsFloor: 1,
    vsFloorNet: 1,
    overheadMs: 0,
    overheadPerCallMs: 0,
    overheadPerCallP90Ms: 0,
    simOwnMs: 0,
    clientOverheadMs: 0,
    clientOverheadPerCallMs: 0,
    bytesPerTurn: 0,
    requests: 16,
    modelMs: 0,
    renderMs: 0,
    networkMs: 0,
    toolMs: 0,
    setupMs: 0,
    hostRoundTripMs: 0,
    tcpConnections: 1,
    wsConnections: 1,
    profile: {},
    ...numbers
  }
}

describe('transportRatios', () => {
  it('divides the HTTP median by the WebSocket median for each pair that was measured', () => {
    const rows = [
      row('tether-ws', 20, { e2eMs: 1000, e2eWithoutToolsMs: 500 }),
      row('tether-sse', 20, { e2eMs: 1250, e2eWithoutToolsMs: 750 }),
      row('sdk-ws', 20, { e2eMs: 1000, e2eWithoutToolsMs: 600 })
    ]
    expect(transportRatios(rows)).toEqual([{ variant: 'base', rttMs: 20, websocket: 'tether-ws', http: 'tether-sse', ratio: 1.25, savedPercent: expect.closeTo(20, 9), ratioWithoutTools: 1.5 }])
  })
})

describe('targetChecks', () => {
  it('judges the floor and overhead targets on the numbers net of the sim, keeping the raw ones beside them', () => {
    const rows = [
      row('tether-ws', 0, { vsFloor: 1.06, vsFloorNet: 1.04, overheadPerCallMs: 2.5, clientOverheadPerCallMs: 1.5 }),
      row('sdk-ws', 0, { overheadPerCallMs: 2, clientOverheadPerCallMs: 1.4 }),
      row('sdk-http', 0, { clientOverheadPerCallMs: 3 }),
      row('tether-ws', 80, { vsFloor: 1.02, vsFloorNet: 1.01, overheadPerCallMs: 2, clientOverheadPerCallMs: 1 }),
      row('agents-ws', 80, { clientOverheadPerCallMs: 4 })
    ]
    expect(targetChecks(rows)).toEqual([
      { target: 'Tether over WebSocket within 5% of the floor', rttMs: 0, measured: 1.04, measuredRaw: 1.06, limit: 1.05, unit: 'x floor', met: true },
      { target: "Tether's overhead per tool call no worse than the best peer's", rttMs: 0, measured: 1.5, measuredRaw: 2.5, limit: 1.4, unit: 'ms per call', met: false },
      { target: "Tether's overhead per tool call under 2 ms at RTT 0", rttMs: 0, measured: 1.5, measuredRaw: 2.5, limit: 2, unit: 'ms per call', met: true },
      { target: "Tether's overhead per tool call within 3x the SDK WebSocket loop's", rttMs: 0, measured: 1.5 / 1.4, measuredRaw: 1.25, limit: 3, unit: 'x the SDK', met: true },
      { target: 'Tether over WebSocket within 5% of the floor', rttMs: 80, measured: 1.01, measuredRaw: 1.02, limit: 1.05, unit: 'x floor', met: true },
      { target: "Tether's overhead per tool call no worse than the best peer's", rttMs: 80, measured: 1, measuredRaw: 2, limit: 4, unit: 'ms per call', met: true }
    ])
  })

  it('judges no ratio against the SDK when a loaded machine left the SDK no net overhead', () => {
    const checks = targetChecks([row('tether-ws', 0, { overheadPerCallMs: 4, clientOverheadPerCallMs: 1 }), row('sdk-ws', 0, { overheadPerCallMs: 2, clientOverheadPerCallMs: -0.5 })])
    expect(checks.find((check) => check.unit === 'x the SDK')).toEqual({
      target: "Tether's overhead per tool call within 3x the SDK WebSocket loop's",
      rttMs: 0,
      measured: Number.POSITIVE_INFINITY,
      measuredRaw: 2,
      limit: 3,
      unit: 'x the SDK',
      met: false
    })
  })

  it('checks nothing for a variant Tether did not run in', () => {
    expect(targetChecks([row('sdk-ws', 0, {})])).toEqual([])
  })
})
