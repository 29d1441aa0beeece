import { describe, expect, it } from 'vitest'
import { firstConnectionMs, floorMs, networkFloorMs } from './floor'

describe('the floor', () => {
  it('charges each turn a round trip, and connections their handshake (a WebSocket also its upgrade round trip)', () => {
    const network = { latencyMs: 10, handshakeMs: 30 }
    expect({
      websocket: networkFloorMs('websocket', 16, network),
      keepAlive: networkFloorMs('http-keep-alive', 16, network),
      perTurn: networkFloorMs('http-per-turn', 16, network)
    }).toEqual({ websocket: 30 + 20 + 16 * 20, keepAlive: 30 + 16 * 20, perTurn: 16 * (30 + 20) })
  })

  it('is only the handshake on a link without latency', () => {
    const network = { latencyMs: 0, handshakeMs: 30 }
    expect(['websocket', 'http-keep-alive', 'http-per-turn'].map((pattern) => networkFloorMs(pattern as 'websocket', 4, network))).toEqual([30, 30, 120])
  })

  it('adds model, render, network and tool time', () => {
    expect(floorMs({ modelMs: 2360, renderMs: 12.5, networkMs: 370, firstConnectionMs: 50, toolMs: 900, setupMs: 40 })).toBe(3642.5)
  })

  it('charges the first connection and the sandbox setup side by side: the longer of the two counts', () => {
    const network = { latencyMs: 10, handshakeMs: 30 }
    expect(['websocket', 'http-keep-alive', 'http-per-turn'].map((pattern) => firstConnectionMs(pattern as 'websocket', network))).toEqual([50, 30, 30])
    const parts = { modelMs: 1000, renderMs: 0, networkMs: 370, firstConnectionMs: 50, toolMs: 200 }
    expect([floorMs({ ...parts, setupMs: 20 }), floorMs({ ...parts, setupMs: 80 })]).toEqual([1000 + 320 + 200 + 50, 1000 + 320 + 200 + 80])
  })
})
