// The whole harness on a small built-in scenario: every client plays it against the sim process
// with the real sandboxed tools, and the harness checks each run. Needs `npx electron-vite build`
// (the tool host); the sim process is bundled here.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleForNode } from '../../src-main/test-support/node-bundle'
import { AGENTS_WS_CLIENT } from './clients/agents-ws'
import { SDK_HTTP_CLIENT } from './clients/sdk-http'
import { SDK_WS_CLIENT } from './clients/sdk-ws'
import { TETHER_CLIENTS } from './clients/tether'
import { runTransportBench } from './transport-bench'

let folder = ''
let simEntry = ''

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'tether-bench-sim-'))
  simEntry = await bundleForNode('bench/transport/sim-process.ts', folder)
})

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

describe('runTransportBench', () => {
  it('runs every client through the same scenario and tools and measures each against the floor', { timeout: 120_000 }, async () => {
    const results = await runTransportBench({
      scenario: 'parallel',
      handshakeMs: 5,
      clients: [...TETHER_CLIENTS, SDK_HTTP_CLIENT, SDK_WS_CLIENT, AGENTS_WS_CLIENT],
      variants: [{ name: 'base', rttsMs: [10], repetitions: 1, timing: {} }],
      warmups: 0,
      log: () => {},
      simEntry
    })
    const byClient = Object.fromEntries(results.summaries.map((summary) => [summary.client, summary]))
    expect(Object.keys(byClient)).toEqual(['tether-ws', 'tether-sse', 'tether-sse-per-turn', 'sdk-http', 'sdk-ws', 'agents-ws'])
    expect(results.summaries.map((summary) => ({ client: summary.client, runs: summary.runs, requests: summary.requests }))).toEqual(
      Object.keys(byClient).map((client) => ({ client, runs: 1, requests: 3 }))
    )
    expect(results.summaries.map((summary) => [summary.client, summary.tcpConnections, summary.wsConnections])).toEqual([
      ['tether-ws', 1, 1],
      ['tether-sse', 1, 0],
      ['tether-sse-per-turn', 3, 0],
      ['sdk-http', 1, 0],
      ['sdk-ws', 1, 1],
      ['agents-ws', 1, 1]
    ])
    // Continuations over a socket send only the new items; full resends carry the transcript.
    expect(byClient['tether-ws']!.bytesPerTurn).toBeLessThan(byClient['tether-sse']!.bytesPerTurn)
    expect(byClient['sdk-ws']!.bytesPerTurn).toBeLessThan(byClient['sdk-http']!.bytesPerTurn)
    expect(results.floors).toEqual([
      { variant: 'base', rttMs: 10, turns: 3, toolCalls: 10, modelMs: expect.any(Number), networkMs: { websocket: 5 + 10 + 3 * 10, 'http-keep-alive': 5 + 3 * 10, 'http-per-turn': 3 * (5 + 10) } }
    ])
    for (const summary of results.summaries) {
      expect(summary.floorMs).toBeGreaterThan(results.floors[0]!.modelMs)
      expect(summary.e2eMs).toBeGreaterThan(summary.floorMs * 0.95)
      expect(summary.profile.approvalsSettled === undefined).toBe(!summary.client.startsWith('tether'))
    }
    expect(results.calibrations.map((calibration) => [calibration.variant, calibration.rttMs, calibration.runs])).toEqual([['base', 10, 1]])
  })
})
