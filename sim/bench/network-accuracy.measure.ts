// How close the emulated network gets to the requested delays, measured from a real client on
// loopback: error = observed - requested (ms). Run on a quiet machine:
//   npx vitest run --config sim/bench/measure.config.ts
import { Agent, request as httpRequest } from 'node:http'
import { it } from 'vitest'
import { startSim } from '../index'
import { Scheduler } from '../net/scheduler'
import { RawClient } from '../test-support/raw-client'
import { CREATE, echoScenario } from '../test-support/text-scenario'

function summary(label: string, errors: number[]): string {
  const sorted = [...errors].sort((a, b) => a - b)
  const at = (q: number): string => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN).toFixed(2)
  return `${label.padEnd(44)} n=${String(sorted.length).padStart(4)}  min ${at(0)}  p50 ${at(0.5)}  p90 ${at(0.9)}  p99 ${at(0.99)}  max ${at(1)}`
}

async function schedulerLateness(): Promise<string> {
  const scheduler = new Scheduler()
  const errors: number[] = []
  for (let batch = 0; batch < 20; batch++) {
    const start = scheduler.now()
    await Promise.all(
      Array.from({ length: 50 }, (_, index) => {
        const due = start + 0.5 + ((index * 7919) % 300) / 10
        return new Promise<void>((resolve) => scheduler.at(due, () => (errors.push(scheduler.now() - due), resolve())))
      })
    )
  }
  scheduler.stop()
  return summary('scheduler: lateness of 1000 timers (0.5-30 ms)', errors)
}

async function wsRoundTrips(latencyMs: number): Promise<string[]> {
  const handshakeMs = 30
  const sim = await startSim({ scenario: echoScenario(), latencyMs, handshakeMs })
  const opens: number[] = []
  const trips: number[] = []
  for (let connection = 0; connection < 10; connection++) {
    const opening = performance.now()
    const ws = await RawClient.connect(sim.baseUrl)
    opens.push(performance.now() - opening - (handshakeMs + 2 * latencyMs))
    for (let turn = 0; turn < 20; turn++) {
      const from = ws.received.length
      const sent = performance.now()
      ws.send({ ...CREATE, input: 'hi' })
      await ws.until((frame) => frame.type === 'response.created', from)
      trips.push(performance.now() - sent - 2 * latencyMs)
      await ws.turn(from)
    }
    ws.close()
  }
  await sim.stop()
  return [summary(`ws  L=${latencyMs}: open vs handshake+2L (H=${handshakeMs})`, opens), summary(`ws  L=${latencyMs}: request->created vs 2L`, trips)]
}

function sseFirstEvent(baseUrl: string, agent: Agent): Promise<number> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}/responses`, { method: 'POST', agent, headers: { authorization: 'Bearer sk', 'content-type': 'application/json' } }, (res) => {
      let first: number | null = null
      res.on('data', () => (first ??= performance.now()))
      res.on('end', () => resolve((first ?? performance.now()) - started))
    })
    req.on('error', reject)
    req.end(JSON.stringify({ model: 'm', input: 'hi', stream: true }))
  })
}

async function httpRoundTrips(latencyMs: number): Promise<string> {
  const sim = await startSim({ scenario: echoScenario(), latencyMs })
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const errors: number[] = []
  for (let turn = 0; turn < 100; turn++) {
    const elapsed = await sseFirstEvent(sim.baseUrl, agent)
    if (turn > 0) errors.push(elapsed - 2 * latencyMs)
    await new Promise((resolve) => setImmediate(resolve))
  }
  agent.destroy()
  await sim.stop()
  return summary(`sse L=${latencyMs}: request->first event vs 2L`, errors)
}

async function tokenPacing(): Promise<string[]> {
  const intervalMs = 2
  const sim = await startSim({ scenario: { name: 'pacing', timing: { tokenIntervalMs: intervalMs, tokensPerDelta: 1 }, turns: [{ output: [{ type: 'message', fillerTokens: 300 }] }] }, latencyMs: 10 })
  const ws = await RawClient.connect(sim.baseUrl)
  const arrivals: number[] = []
  ws.socket.on('message', (data) => {
    if (String(data).includes('"response.output_text.delta"')) arrivals.push(performance.now())
  })
  const sent = performance.now()
  ws.send({ ...CREATE, input: 'hi' })
  await ws.turn(0)
  ws.close()
  await sim.stop()
  const due = arrivals.map((_, index) => sent + 20 + (index + 1) * intervalMs)
  return [
    summary(`deltas: arrival vs due (2 ms/token, L=10)`, arrivals.map((at, index) => at - (due[index] as number))),
    summary(`deltas: total stream time vs model time`, [(arrivals.at(-1) as number) - (due.at(-1) as number)])
  ]
}

it('measures the emulated network', async () => {
  const lines = [await schedulerLateness()]
  for (const latency of [0, 1, 5, 20, 40]) lines.push(...(await wsRoundTrips(latency)))
  for (const latency of [1, 20]) lines.push(await httpRoundTrips(latency))
  lines.push(...(await tokenPacing()))
  process.stdout.write(`\nerror = observed - requested, in ms\n${lines.join('\n')}\n`)
})
