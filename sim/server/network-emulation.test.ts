// Timing tests check the emulated network against its definition with a lower bound: the sim must
// never be faster than asked, which no load on the machine can make false. How close it comes
// (a delay neither missing nor doubled) is measured by sim/bench/network-accuracy.measure.ts,
// against a baseline of the same run, not here: a busy machine can delay any event.
import { request as httpRequest, Agent } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { startSim, type SimServer } from '../index'
import { RawClient } from '../test-support/raw-client'
import { CREATE, echoScenario } from '../test-support/text-scenario'

const LATENCY = 15
const HANDSHAKE = 25

let sim: SimServer | null = null
afterEach(async () => {
  await sim?.stop()
  sim = null
})

function firstSseEvent(baseUrl: string, agent: Agent): Promise<number> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model: 'gpt-5.2', input: 'hi', stream: true })
    const req = httpRequest(`${baseUrl}/responses`, { method: 'POST', agent, headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' } }, (res) => {
      let firstAt: number | null = null
      res.on('data', () => (firstAt ??= performance.now()))
      res.on('end', () => resolve((firstAt ?? performance.now()) - started))
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('network emulation', () => {
  it('WebSocket: the handshake costs handshakeMs plus a round trip; a request costs a round trip', async () => {
    sim = await startSim({ scenario: echoScenario(), latencyMs: LATENCY, handshakeMs: HANDSHAKE })
    const opening = performance.now()
    const ws = await RawClient.connect(sim.baseUrl)
    const openMs = performance.now() - opening
    expect(openMs).toBeGreaterThanOrEqual(HANDSHAKE + 2 * LATENCY - 1)
    for (let turn = 0; turn < 3; turn++) {
      const from = ws.received.length
      const sent = performance.now()
      ws.send({ ...CREATE, input: 'hi' })
      await ws.until((frame) => frame.type === 'response.created', from)
      const roundTrip = performance.now() - sent
      expect(roundTrip).toBeGreaterThanOrEqual(2 * LATENCY - 1)
      await ws.turn(from)
    }
    ws.close()
  })

  it('HTTP: a new connection pays the handshake, a kept-alive one only the round trip', async () => {
    sim = await startSim({ scenario: echoScenario(), latencyMs: LATENCY, handshakeMs: HANDSHAKE })
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const first = await firstSseEvent(sim.baseUrl, agent)
    await new Promise((resolve) => setTimeout(resolve, 5))
    const second = await firstSseEvent(sim.baseUrl, agent)
    agent.destroy()
    expect(first).toBeGreaterThanOrEqual(HANDSHAKE + 2 * LATENCY - 1)
    expect(second).toBeGreaterThanOrEqual(2 * LATENCY - 1)
    expect(sim.stats().tcpConnections).toBe(1)
  })

  it('paces deltas by the token interval on top of the latency', async () => {
    sim = await startSim({ scenario: { name: 'paced', timing: { ttftMs: 20, tokenIntervalMs: 4, tokensPerDelta: 1 }, turns: [{ output: [{ type: 'message', text: 'one two three four five six' }] }] }, latencyMs: LATENCY })
    const ws = await RawClient.connect(sim.baseUrl)
    const arrivals: Array<[string, number]> = []
    ws.socket.on('message', (data) => arrivals.push([(JSON.parse(String(data)) as { type: string }).type, performance.now()]))
    const sent = performance.now()
    ws.send({ ...CREATE, input: 'hi' })
    await ws.turn(0)
    const deltas = arrivals.filter(([type]) => type === 'response.output_text.delta').map(([, at]) => at)
    expect(deltas).toHaveLength(6)
    // Delta k (1-based) is due a round trip + ttft + k intervals after the request, never earlier.
    for (const [index, at] of deltas.entries()) expect(at - sent).toBeGreaterThanOrEqual(2 * LATENCY + 20 + (index + 1) * 4 - 1)
    ws.close()
  })
})
