// The person's hands on a running run: interrupt, steer, follow up.
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import type { Scenario } from '../../../sim'
import type { RunRecord } from '../../common/run/records'
import { summarize } from '../../common/run/summary'
import { FRESH_SHELL_NOTE } from '../../common/run/transcript'
import { RunDriver } from './run-driver'
import { driverFixture, type DriverFixture } from '../../test-support/driver/driver-fixture'

let fixture: DriverFixture | null = null
afterEach(async () => {
  await fixture?.cleanup()
  fixture = null
})

function whenRecord(driver: RunDriver, matches: (record: RunRecord) => boolean): Promise<RunRecord> {
  return new Promise((resolve) => {
    const stop = driver.subscribe((record) => {
      if (!matches(record)) return
      stop()
      resolve(record)
    })
  })
}

const SLOW_COMMAND: Scenario = {
  name: 'slow-command',
  turns: [
    { output: [{ type: 'function_call', name: 'shell', arguments: { command: 'sleep 30; echo late >> ledger.txt', timeout_ms: null } }] },
    { output: [{ type: 'message', text: 'The command was interrupted, so I stopped.' }] }
  ]
}

const LONG_ANSWER: Scenario = {
  name: 'long-answer',
  timing: { ttftMs: 0, tokenIntervalMs: 4, tokensPerDelta: 1 },
  turns: [
    { output: [{ type: 'message', fillerTokens: 300 }, { type: 'function_call', name: 'list_dir', arguments: { path: '.' } }] },
    { output: [{ type: 'message', text: 'Listed.' }] }
  ]
}

describe('interrupt', () => {
  it('kills the running command, records the interruption, and a follow-up continues the same run', async () => {
    fixture = await driverFixture({ scenario: SLOW_COMMAND })
    const driver = await fixture.start('Run the slow thing.')
    const started = whenRecord(driver, (record) => record.type === 'tool.started')
    const running = driver.run()
    await started
    const interruptedAt = performance.now()
    await driver.interrupt()
    expect(await running).toBe('interrupted')
    // The command sleeps 30 s: ending before that is ending by the interrupt, however busy the machine.
    expect(performance.now() - interruptedAt).toBeLessThan(30_000)
    const call = driver.state.toolCalls[driver.state.toolCallOrder[0]!]
    expect(call?.status).toBe('interrupted')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(() => fixture!.read('ledger.txt')).toThrow(/ENOENT/)

    await driver.followUp('Carry on.')
    expect(await driver.run()).toBe('completed')
    await driver.close()
    expect(summarize(driver.state).messages).toEqual(['The command was interrupted, so I stopped.'])
    expect(driver.state.userInputs.map((input) => input.kind)).toEqual(['task', 'interrupt', 'task'])
    expect(await fixture.reload(driver)).toEqual(driver.state)
  })
})

const CD_THEN_FOLLOW_UP: Scenario = {
  name: 'cd-then-follow-up',
  turns: [
    { output: [{ type: 'function_call', name: 'shell', arguments: { command: 'mkdir -p sub && cd sub && export MARK=1', timeout_ms: null } }] },
    { output: [{ type: 'message', text: 'In sub.' }] },
    { output: [{ type: 'function_call', name: 'shell', arguments: { command: 'pwd', timeout_ms: null } }] },
    { output: [{ type: 'message', text: 'Back at the root.' }] }
  ]
}

/** The `input` of every response.create the sim received, in order. */
function inputsSent(fixture: DriverFixture): { role?: string; type?: string; content?: { text: string }[] }[][] {
  return fixture.sim.received
    .filter((message) => (message.body as { type?: string }).type === 'response.create')
    .map((message) => (message.body as { input: { role?: string; type?: string; content?: { text: string }[] }[] }).input)
}

describe('follow-up after the run was closed', () => {
  it('tells the model once, before the message, that the shell restarted', async () => {
    fixture = await driverFixture({ scenario: CD_THEN_FOLLOW_UP })
    const first = await fixture.start('Go into sub.')
    expect(await first.run()).toBe('completed')
    await first.close()

    const again = await RunDriver.resume(fixture.dataDir, first.runId, fixture.services(), 'reopened for a follow-up message')
    await again.followUp('Where are you?')
    expect(await again.run()).toBe('completed')
    await again.close()

    const inputs = inputsSent(fixture)
    const notes = inputs.map((input) => input.filter((item) => item.role === 'developer').map((item) => item.content?.[0]?.text))
    expect(notes).toEqual([[], [], [FRESH_SHELL_NOTE], []])
    const followUp = inputs[2]!
    expect(followUp.slice(-2).map((item) => item.role)).toEqual(['developer', 'user'])
    const pwd = again.state.toolCalls[again.state.toolCallOrder[1]!]
    expect(pwd?.output).toBe(`${fixture.workspace}\n[exit code 0]`)
    expect(await fixture.reload(again)).toEqual(again.state)
  })

  it('says nothing when the driver kept its shell or the run never used one', async () => {
    fixture = await driverFixture({ scenario: LONG_ANSWER })
    const first = await fixture.start('List.')
    expect(await first.run()).toBe('completed')
    await first.close()
    const again = await RunDriver.resume(fixture.dataDir, first.runId, fixture.services(), 'reopened for a follow-up message')
    await again.followUp('Thanks.')
    await again.close()
    expect(again.state.timeline.filter((entry) => entry.kind === 'resumed').map((entry) => entry.kind === 'resumed' && entry.freshShell)).toEqual([false, false])
  })
})

describe('steer', () => {
  it('steers the active response over the socket; the server continues with a successor', async () => {
    fixture = await driverFixture({ scenario: LONG_ANSWER })
    const driver = await fixture.start('Write a lot.')
    const streaming = whenRecord(driver, (record) => record.type === 'server.event' && record.event.type === 'response.output_text.delta')
    const running = driver.run()
    await streaming
    await driver.steer('Keep it short.')
    expect(await running).toBe('completed')
    await driver.close()
    expect(driver.state.userInputs.map((input) => ({ kind: input.kind, delivered: input.delivered }))).toEqual([
      { kind: 'task', delivered: false },
      { kind: 'steer', delivered: true }
    ])
    expect(driver.state.responses.some((response) => response.incompleteReason === 'steered')).toBe(true)
    expect(fixture.sim.received.filter((message) => (message.body as { type?: string }).type === 'response.steer')).toHaveLength(1)
    expect(await fixture.reload(driver)).toEqual(driver.state)
  })

  it('queues the input for the next turn where the server cannot steer, and stops trying', async () => {
    fixture = await driverFixture({ scenario: { ...LONG_ANSWER, steering: 'fail' } })
    const driver = await fixture.start('Write a lot.')
    const streaming = whenRecord(driver, (record) => record.type === 'server.event' && record.event.type === 'response.output_text.delta')
    const refused = whenRecord(driver, (record) => record.type === 'server.event' && record.event.type === 'response.steer.failed')
    const running = driver.run()
    await streaming
    await driver.steer('Keep it short.')
    await refused
    await driver.steer('And plain.')
    expect(await running).toBe('completed')
    await driver.close()
    expect(fixture.sim.received.filter((message) => (message.body as { type?: string }).type === 'response.steer')).toHaveLength(1)
    const second = driver.state.turns[1]
    expect(second?.mode).toBe('incremental')
    const sent = fixture.sim.received.filter((message) => (message.body as { type?: string }).type === 'response.create')[1]
    expect([sent?.text.includes('Keep it short.'), sent?.text.includes('And plain.')]).toEqual([true, true])
    expect(driver.state.errors.map((error) => error.code)).toEqual(['steering_not_supported'])
  })
})

describe('steer on a provider without steering', () => {
  it('never sends response.steer to xAI: the input rides with the next turn', async () => {
    fixture = await driverFixture({ scenario: LONG_ANSWER, dialect: 'xai' })
    const driver = await fixture.start('Write a lot.', { provider: { name: 'xai', baseUrl: fixture.sim.baseUrl, apiKey: 'test-key' } })
    const streaming = whenRecord(driver, (record) => record.type === 'server.event' && record.event.type === 'response.output_text.delta')
    const running = driver.run()
    await streaming
    await driver.steer('Keep it short.')
    expect(await running).toBe('completed')
    await driver.close()
    expect(fixture.sim.received.filter((message) => (message.body as { type?: string }).type === 'response.steer')).toHaveLength(0)
    const creates = fixture.sim.received.filter((message) => (message.body as { type?: string }).type === 'response.create')
    expect(creates.at(-1)?.text.includes('Keep it short.')).toBe(true)
    expect(driver.state.errors).toEqual([])
  })
})

describe('malformed frames', () => {
  it('records a frame that is not JSON and carries on with the stream', async () => {
    fixture = await driverFixture({ scenario: 'parallel' })
    // A relay between Tether and the sim that garbles the fourth server frame.
    const upstreamUrl = fixture.sim.baseUrl.replace('http', 'ws') + '/responses'
    const relayServer = createServer()
    const relay = new WebSocketServer({ server: relayServer })
    relay.on('connection', (client) => {
      const upstream = new WebSocket(upstreamUrl, { headers: { Authorization: 'Bearer test-key' } })
      let frames = 0
      const pending: string[] = []
      upstream.on('open', () => pending.splice(0).forEach((frame) => upstream.send(frame)))
      client.on('message', (data) => (upstream.readyState === WebSocket.OPEN ? upstream.send(data.toString()) : pending.push(data.toString())))
      upstream.on('message', (data) => client.send(++frames === 4 ? '{"type": "response.output_text.delta", garbage' : data.toString()))
      upstream.on('close', () => client.close())
      client.on('close', () => upstream.close())
    })
    relayServer.listen(0, '127.0.0.1')
    await once(relayServer, 'listening')
    const relayUrl = `http://127.0.0.1:${(relayServer.address() as AddressInfo).port}/v1`
    try {
      const driver = await fixture.start('Do the parallel thing.', { provider: { name: 'custom', baseUrl: relayUrl, apiKey: 'test-key' } })
      expect(await driver.run()).toBe('completed')
      await driver.close()
      expect(driver.state.errors.map((error) => ({ source: error.source, code: error.code }))).toEqual([{ source: 'protocol', code: 'malformed_json' }])
      expect(await fixture.reload(driver)).toEqual(driver.state)
    } finally {
      relay.close()
      relayServer.close()
    }
  })
})
