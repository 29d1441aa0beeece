// Recovery against the sim's faults: the run completes, no tool runs twice, and the log replays
// to the live state.
import { afterEach, describe, expect, it } from 'vitest'
import type { RunState } from '../../common/run/state'
import { transcriptOf } from '../../common/run/transcript'
import { summarize } from '../../common/run/summary'
import { driverFixture, type DriverFixture } from '../../test-support/driver/driver-fixture'
import type { RunDriver } from './run-driver'
import { LEDGER } from '../../test-support/driver/ledger-scenario'
import type { DriverSetup } from '../../test-support/driver/driver-fixture'
import { ApprovalBroker } from '../policy/approval-broker'
import type { ApprovalAsker } from '../policy/approval-asker'
import { TetherPolicy } from '../policy/tether-policy'

const EXECUTED_CALLS = 4

let fixture: DriverFixture | null = null
afterEach(async () => {
  await fixture?.cleanup()
  fixture = null
})

/** Calls that ran, by whether the response that asked for them was dropped. */
function toolStarts(state: RunState): { answered: number; droppedRan: string[] } {
  const started = state.toolCallOrder.flatMap((callId) => {
    const call = state.toolCalls[callId]
    return call && call.startedAt !== null ? [call] : []
  })
  const dropped = (responseIndex: number | null) => responseIndex !== null && state.responses[responseIndex]?.status === 'dropped'
  return {
    answered: started.filter((call) => !dropped(call.responseIndex)).length,
    droppedRan: [...new Set(started.filter((call) => dropped(call.responseIndex)).map((call) => call.name))].sort()
  }
}

const ALLOWS_AT_ONCE: ApprovalAsker = { ask: async () => ({ decision: 'allow', scope: 'once', message: null }) }

async function runToEnd(driver: RunDriver): Promise<string> {
  const outcome = await driver.run()
  await driver.close()
  return outcome
}

describe('recovery', () => {
  // With Tether's own broker the reads the model lists first run while their response streams, so
  // a drop after them leaves reads that ran for a response that never ended: only reads, only once
  // each per attempt, and the ledger still has each step once.
  it.each([
    ['a gate that runs nothing early', false],
    ["Tether's broker, which runs reads early", true]
  ])('survives a dropped connection at every event index of a multi-turn run (%s)', async (_gate, broker) => {
    fixture = await driverFixture({ scenario: LEDGER })
    const gate = (): Partial<DriverSetup> =>
      broker ? { gate: new ApprovalBroker({ policy: new TetherPolicy({ dataDir: fixture!.dataDir }), asker: ALLOWS_AT_ONCE }) } : {}
    const clean = await fixture.start('Keep a ledger.', gate())
    expect(await runToEnd(clean)).toBe('completed')
    const events = fixture.sim.stats().eventsSent
    expect(events).toBeGreaterThan(30)

    const droppedRan = new Set<string>()
    for (let at = 0; at < events; at++) {
      fixture.sim.configure({ faults: [`drop-once:${at}`] })
      const workspace = fixture.newWorkspace()
      const driver = await fixture.start('Keep a ledger.', gate(), workspace)
      const outcome = await runToEnd(driver)
      const state = driver.state
      const starts = toolStarts(state)
      for (const name of starts.droppedRan) droppedRan.add(name)
      expect({ at, outcome, ledger: fixture.read('ledger.txt', workspace), toolRuns: starts.answered }).toEqual({
        at,
        outcome: 'completed',
        ledger: 'step-1\nstep-2\n',
        toolRuns: EXECUTED_CALLS
      })
      expect(summarize(state).messages.at(-1)).toBe('The ledger has both steps.')
      expect(await fixture.reload(driver)).toEqual(state)
    }
    expect([...droppedRan].sort()).toEqual(broker ? ['list_dir', 'read_file'] : [])
  }, 180_000)

  it('ends in the same transcript over WebSocket and over HTTP + SSE', async () => {
    fixture = await driverFixture({ scenario: LEDGER })
    const overWs = await fixture.start('Keep a ledger.', { transport: 'ws' })
    expect(await runToEnd(overWs)).toBe('completed')
    const sseFixture = await driverFixture({ scenario: LEDGER })
    try {
      const overSse = await sseFixture.start('Keep a ledger.', { transport: 'sse' })
      expect(await runToEnd(overSse)).toBe('completed')
      expect(transcriptOf(overSse.state)).toEqual(transcriptOf(overWs.state))
      // Apart from transport and timing, the two runs fold to the same state.
      const content = (state: RunState) => ({
        items: state.items,
        responses: state.responses.map(({ usage: _usage, previousResponseId: _previous, ...response }) => response),
        calls: state.toolCallOrder.map((callId) => {
          const call = state.toolCalls[callId]!
          return { name: call.name, arguments: call.arguments, status: call.status, exitCode: call.exitCode, output: call.output, outputSent: call.outputSent }
        }),
        timeline: state.timeline,
        userInputs: state.userInputs.map(({ at: _at, ...input }) => input),
        errors: state.errors,
        status: state.status
      })
      expect(content(overSse.state)).toEqual(content(overWs.state))
      expect({ ...summarize(overSse.state), usage: null }).toEqual({ ...summarize(overWs.state), usage: null })
      expect(overSse.state.turns.map((turn) => turn.mode)).toEqual(['full', 'full', 'full', 'full'])
      expect(overWs.state.turns.map((turn) => turn.mode)).toEqual(['full', 'incremental', 'incremental', 'incremental'])
      // Continuations carry only the new items; a full resend carries the whole conversation again.
      const savings = overWs.state.turns.slice(1).map((turn, index) => turn.bytes < overSse.state.turns[index + 1]!.bytes)
      expect(savings).toEqual([true, true, true])
    } finally {
      await sseFixture.cleanup()
    }
  })

  it('falls back to HTTP + SSE when the upgrade is refused with 426, for the rest of the run', async () => {
    fixture = await driverFixture({ scenario: LEDGER, faults: ['no-websocket'] })
    const driver = await fixture.start('Keep a ledger.')
    expect(await runToEnd(driver)).toBe('completed')
    expect(driver.state.transport).toMatchObject({ transport: 'sse', fellBack: true })
    expect(driver.state.turns.map((turn) => turn.transport)).toEqual(['sse', 'sse', 'sse', 'sse'])
    expect(fixture.sim.stats().wsHandshakes).toBe(1)
  })

  it('detects a dead socket by its missing pongs and falls back after repeated WebSocket failures', async () => {
    fixture = await driverFixture({ scenario: LEDGER, faults: ['no-pong'], timing: { ttftMs: 300 } })
    const driver = await fixture.start('Keep a ledger.', {
      ws: { pingIntervalMs: 20, pongTimeoutMs: 20 },
      recovery: { wsFailuresBeforeFallback: 3, backoff: { baseMs: 1, capMs: 2, random: () => 0 } }
    })
    expect(await runToEnd(driver)).toBe('completed')
    expect(driver.state.transport).toMatchObject({ transport: 'sse', fellBack: true, reconnects: 2 })
    // Three sockets die mid-turn; the one opened while the sandbox starts may also die idle before
    // the first request (when the sandbox takes longer than two missed pongs), and is opened again.
    expect(fixture.sim.stats().wsConnections).toBeGreaterThanOrEqual(3)
    expect(fixture.sim.stats().wsConnections).toBeLessThanOrEqual(4)
    expect(fixture.read('ledger.txt')).toBe('step-1\nstep-2\n')
  })

  it('resends the whole transcript after previous_response_not_found', async () => {
    fixture = await driverFixture({ scenario: LEDGER, faults: ['evict'] })
    const driver = await fixture.start('Keep a ledger.')
    expect(await runToEnd(driver)).toBe('completed')
    expect(driver.state.turns.map((turn) => turn.mode)).toEqual(['full', 'incremental', 'full', 'incremental', 'full', 'incremental', 'full'])
    expect(driver.state.errors.map((error) => error.code)).toEqual(['previous_response_not_found', 'previous_response_not_found', 'previous_response_not_found'])
  })

  it('opens a new socket when the server says the connection is too old', async () => {
    fixture = await driverFixture({ scenario: LEDGER, connectionAgeLimitMs: 1 })
    const driver = await fixture.start('Keep a ledger.')
    expect(await runToEnd(driver)).toBe('completed')
    expect(driver.state.transport.rotations).toBeGreaterThan(0)
    expect(fixture.read('ledger.txt')).toBe('step-1\nstep-2\n')
  })

  it('rotates between turns before the age limit, with a full resend on the new socket', async () => {
    fixture = await driverFixture({ scenario: LEDGER })
    const driver = await fixture.start('Keep a ledger.', { recovery: { rotateAfterMs: 0 } })
    expect(await runToEnd(driver)).toBe('completed')
    // With a limit of 0 even the socket opened while the sandbox started is too old by the first request.
    expect(driver.state.transport.rotations).toBe(4)
    expect(driver.state.turns.map((turn) => turn.mode)).toEqual(['full', 'full', 'full', 'full'])
    expect(fixture.sim.stats().wsConnections).toBe(5)
  })

  it('treats a stalled stream as dropped once the idle timeout passes', async () => {
    // The stall outlasts any test timeout, so finishing at all proves the idle timeout cut it short.
    fixture = await driverFixture({ scenario: LEDGER, faults: ['stall:600000@5'] })
    const driver = await fixture.start('Keep a ledger.', { ws: { idleTimeoutMs: 200 } })
    expect(await runToEnd(driver)).toBe('completed')
    expect(driver.state.transport.reconnects).toBe(1)
    expect(driver.state.responses.filter((response) => response.status === 'dropped')).toHaveLength(1)
  })

  it('treats a stalled SSE stream as dropped once the idle timeout passes', async () => {
    fixture = await driverFixture({ scenario: LEDGER, faults: ['stall:600000@5'] })
    const driver = await fixture.start('Keep a ledger.', { transport: 'sse', sse: { idleTimeoutMs: 200 } })
    expect(await runToEnd(driver)).toBe('completed')
    expect(driver.state.responses.filter((response) => response.status === 'dropped')).toHaveLength(1)
  })

  it('retries a failed response and a mid-stream error with a full resend', async () => {
    fixture = await driverFixture({ scenario: LEDGER, faults: ['failed@20', 'error@30'] })
    const driver = await fixture.start('Keep a ledger.')
    expect(await runToEnd(driver)).toBe('completed')
    expect(driver.state.responses.map((response) => response.status).filter((status) => status === 'failed')).toHaveLength(2)
    expect(fixture.read('ledger.txt')).toBe('step-1\nstep-2\n')
    expect(toolStarts(driver.state)).toEqual({ answered: EXECUTED_CALLS, droppedRan: [] })
  })
})
