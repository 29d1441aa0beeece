import { describe, expect, it } from 'vitest'
import type { ClientId } from './clients/client'
import type { RunSample } from './results'
import { summarize } from './summarize'

function sample(client: ClientId, rttMs: number, e2eMs: number, overrides: Partial<RunSample> = {}): RunSample {
  const floorMs = 1000
  return {
    variant: 'base',
    client,
    rttMs,
    repetition: 0,
    e2eMs,
    modelMs: 600,
    renderMs: 0,
    networkMs: 100,
    toolMs: 250,
    setupMs: 50,
    floorMs,
    overheadMs: e2eMs - floorMs,
    overheadPerCallMs: (e2eMs - floorMs) / 10,
    simOwnMs: 20,
    clientOverheadMs: e2eMs - floorMs - 20,
    clientOverheadPerCallMs: (e2eMs - floorMs - 20) / 10,
    requests: 4,
    toolCalls: 10,
    bytesPerTurn: 500,
    bytesTotal: 2000,
    tcpConnections: 1,
    wsConnections: 1,
    hostRoundTripMs: 5,
    profile: {},
    ...overrides
  }
}

const CLIENTS = [
  { id: 'tether-ws' as const, label: 'Tether, WebSocket', pattern: 'websocket' as const, continuation: 'incremental' },
  { id: 'sdk-http' as const, label: 'openai SDK, HTTP streaming', pattern: 'http-keep-alive' as const, continuation: 'full' }
]

describe('summarize', () => {
  it('folds runs into medians per client and RTT, with p90 and minimum of the end-to-end time', () => {
    const samples = [
      sample('tether-ws', 0, 1100, { profile: { gateMs: 1 } }),
      sample('tether-ws', 0, 1300, { profile: { gateMs: 3 } }),
      sample('tether-ws', 0, 1200, { profile: { gateMs: 2 } }),
      sample('sdk-http', 0, 1400)
    ]
    expect(summarize(samples, CLIENTS)).toEqual([
      {
        variant: 'base',
        client: 'tether-ws',
        label: 'Tether, WebSocket',
        pattern: 'websocket',
        continuation: 'incremental',
        rttMs: 0,
        runs: 3,
        e2eMs: 1200,
        e2eP90Ms: 1300,
        e2eMinMs: 1100,
        e2eWithoutToolsMs: 900,
        floorMs: 1000,
        vsFloor: 1.2,
        vsFloorNet: 1.18,
        overheadMs: 200,
        overheadPerCallMs: 20,
        overheadPerCallP90Ms: 30,
        simOwnMs: 20,
        clientOverheadMs: 180,
        clientOverheadPerCallMs: 18,
        bytesPerTurn: 500,
        requests: 4,
        modelMs: 600,
        renderMs: 0,
        networkMs: 100,
        toolMs: 250,
        setupMs: 50,
        hostRoundTripMs: 5,
        tcpConnections: 1,
        wsConnections: 1,
        profile: { gateMs: 2 }
      },
      expect.objectContaining({ client: 'sdk-http', runs: 1, e2eMs: 1400, overheadPerCallMs: 40 })
    ])
  })

  it('refuses samples of a client it has no description for', () => {
    expect(() => summarize([sample('agents-ws', 0, 1000)], CLIENTS)).toThrow('no description of client agents-ws')
  })
})
