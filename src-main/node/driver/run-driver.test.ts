import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Scenario } from '../../../sim'
import { summarize } from '../../common/run/summary'
import { readRunLog } from '../store/run-log-reader'
import { SandboxedToolRuntime } from '../tools/sandboxed-tool-runtime'
import type { ToolRuntime } from '../tools/tool-runtime'
import { driverFixture, type DriverFixture } from '../../test-support/driver/driver-fixture'

const LEDGER_SCENARIO: Scenario = {
  name: 'ledger',
  turns: [
    {
      output: [
        { type: 'reasoning', summary: 'Look around first.' },
        { type: 'function_call', name: 'read_file', arguments: { path: 'notes.txt', start_line: null, end_line: null } },
        { type: 'function_call', name: 'list_dir', arguments: { path: '.' } }
      ]
    },
    {
      output: [
        { type: 'message', text: 'Recording the first step.' },
        { type: 'function_call', name: 'shell', arguments: { command: 'echo step-1 >> ledger.txt', timeout_ms: null } }
      ]
    },
    {
      output: [
        { type: 'function_call', name: 'write_file', arguments: { path: 'done.txt', content: 'done\n' } },
        { type: 'function_call', name: 'shell', arguments: { command: 'echo step-2 >> ledger.txt', timeout_ms: null } }
      ]
    },
    { output: [{ type: 'message', text: 'All done: the ledger has two steps.' }] }
  ]
}

/** The fixture's tool runtime with some of its steps replaced. */
function toolsWith(inner: ToolRuntime, steps: Partial<Pick<ToolRuntime, 'openRun' | 'closeRun'>>): ToolRuntime {
  return {
    registry: inner.registry,
    openRun: (context) => inner.openRun(context),
    execute: (request, observer) => inner.execute(request, observer),
    closeRun: (runId) => inner.closeRun(runId),
    close: () => inner.close(),
    ...steps
  }
}

let fixture: DriverFixture | null = null
afterEach(async () => {
  await fixture?.cleanup()
  fixture = null
})

describe('RunDriver over WebSocket', () => {
  it('runs a multi-turn tool loop on one socket, sending only new input after the first turn', async () => {
    fixture = await driverFixture({ scenario: LEDGER_SCENARIO }, { 'notes.txt': 'remember the ledger\n' })
    const driver = await fixture.start('Keep a ledger.')
    const outcome = await driver.run()
    await driver.close()

    expect(outcome).toBe('completed')
    expect(fixture.read('ledger.txt')).toBe('step-1\nstep-2\n')
    expect(fixture.read('done.txt')).toBe('done\n')
    const summary = summarize(driver.state)
    expect({ ...summary, usage: null, output: [] }).toEqual({
      status: 'completed',
      responses: summary.responses.map((response) => ({ id: response.id, status: 'completed', incompleteReason: null })),
      output: [],
      messages: ['Recording the first step.', 'All done: the ledger has two steps.'],
      toolCalls: summary.toolCalls.map((call) => ({ ...call, status: 'ok' })),
      usage: null,
      errors: []
    })
    expect(summary.toolCalls.map((call) => call.name)).toEqual(['read_file', 'list_dir', 'shell', 'write_file', 'shell'])
    // The output lists the calls where the model made them, between its reasoning and its messages.
    expect(summary.output.flatMap((item) => (item.type === 'function_call' ? [(item as { name: string }).name] : []))).toEqual(summary.toolCalls.map((call) => call.name))
    expect(driver.state.turns.map((turn) => turn.mode)).toEqual(['full', 'incremental', 'incremental', 'incremental'])
    expect(fixture.sim.stats().wsHandshakes).toBe(1)
    expect(await fixture.reload(driver)).toEqual(driver.state)
  })

  it('fails closed when the sandbox cannot start, and says why', async () => {
    fixture = await driverFixture({ scenario: LEDGER_SCENARIO }, { 'notes.txt': 'remember the ledger\n' })
    const tools = new SandboxedToolRuntime({ tools: { bwrapPath: '/nonexistent/bwrap' } })
    try {
      const driver = await fixture.start('Keep a ledger.', { tools })
      expect(await driver.run()).toBe('failed')
      await driver.close()
      expect(driver.state.finishReason).toMatch(/^the tool sandbox cannot start: .*bwrap/)
      expect(driver.state.turns).toEqual([])
      expect(() => fixture!.read('ledger.txt')).toThrow(/ENOENT/)
      // The connection opened alongside the sandbox carried no request, and nothing follows the run's end.
      expect(fixture.sim.stats().messagesReceived).toBe(0)
      const { records } = await readRunLog(driver.logPath)
      expect(records.at(-1)?.type).toBe('run.finished')
      await vi.waitFor(() => expect(fixture!.sim.stats().openWsConnections).toBe(0))
    } finally {
      await tools.close()
    }
  })

  it('still ends as failed, with its reason, when the sandbox fails and the connection could not even be tried', async () => {
    fixture = await driverFixture({ scenario: LEDGER_SCENARIO })
    const tools = new SandboxedToolRuntime({ tools: { bwrapPath: '/nonexistent/bwrap' } })
    try {
      // A key no HTTP header can carry: the socket cannot be created at all.
      const provider = { name: 'custom' as const, baseUrl: fixture.sim.baseUrl, apiKey: 'sk-broken\nkey' }
      const driver = await fixture.start('Keep a ledger.', { tools, provider })
      expect(await driver.run()).toBe('failed')
      await driver.close()
      expect(driver.state.finishReason).toMatch(/^the tool sandbox cannot start: /)
      expect(fixture.sim.stats().wsHandshakes).toBe(0)
    } finally {
      await tools.close()
    }
  })

  it('opens the connection while the sandbox starts, not after it', async () => {
    fixture = await driverFixture({ scenario: LEDGER_SCENARIO }, { 'notes.txt': 'remember the ledger\n' })
    const inner = fixture.tools
    const sim = fixture.sim
    // The sandbox opens only once the socket is up: a driver that connected after it would never get there.
    const sandboxAfterSocket = toolsWith(inner, {
      openRun: async (context) => {
        await vi.waitFor(() => expect(sim.stats().openWsConnections).toBe(1), { timeout: 10_000 })
        await inner.openRun(context)
      }
    })
    const driver = await fixture.start('Keep a ledger.', { tools: sandboxAfterSocket })
    expect(await driver.run()).toBe('completed')
    await driver.close()
    expect(fixture.read('ledger.txt')).toBe('step-1\nstep-2\n')
    expect(sim.stats()).toMatchObject({ wsHandshakes: 1, wsConnections: 1 })
    expect(driver.state.transport).toMatchObject({ reconnects: 0, rotations: 0 })
  })

  it('opens nothing more once closed while its run starts (the host stopping), and its run says so', async () => {
    fixture = await driverFixture({ scenario: LEDGER_SCENARIO }, { 'notes.txt': 'remember the ledger\n' })
    const inner = fixture.tools
    const sim = fixture.sim
    let release: () => void = () => undefined
    const released = new Promise<void>((resolve) => (release = resolve))
    let running: Promise<unknown> = Promise.resolve()
    let closing = false
    // The sandbox starts only once the driver is being closed, and the close waits in the middle
    // (before the log is closed) until the run has gone as far as it will.
    const heldSandbox = toolsWith(inner, {
      openRun: async (context) => {
        await released
        await inner.openRun(context)
      },
      closeRun: async (runId) => {
        if (!closing) {
          closing = true
          release()
          const reconnected = vi.waitFor(() => expect(sim.stats().wsConnections).toBe(2), { timeout: 5_000 })
          await Promise.race([running.catch(() => undefined), reconnected.catch(() => undefined)])
        }
        await inner.closeRun(runId)
      }
    })
    const driver = await fixture.start('Keep a ledger.', { tools: heldSandbox })
    running = driver.run()
    await vi.waitFor(() => expect(sim.stats().openWsConnections).toBe(1), { timeout: 10_000 })
    await driver.close()
    await expect(running).rejects.toThrow('the run was closed')
    await vi.waitFor(() => expect(sim.stats().openWsConnections).toBe(0))
    expect(sim.stats()).toMatchObject({ wsConnections: 1, messagesReceived: 0 })
  })

  it('sends nothing when interrupted while its connection still opens', async () => {
    // A slow link: the upgrade is answered seconds after the sandbox is up, so the interrupt lands
    // while the first request waits for the socket (on a machine slow enough to land it earlier,
    // the run stops before that wait, with the same outcome).
    fixture = await driverFixture({ scenario: LEDGER_SCENARIO, latencyMs: 1500 }, { 'notes.txt': 'remember the ledger\n' })
    const inner = fixture.tools
    let sandboxUp: () => void = () => undefined
    const sandboxIsUp = new Promise<void>((resolve) => (sandboxUp = resolve))
    const driver = await fixture.start('Keep a ledger.', {
      tools: toolsWith(inner, {
        openRun: async (context) => {
          await inner.openRun(context)
          sandboxUp()
        }
      })
    })
    const running = driver.run()
    await sandboxIsUp
    await new Promise((resolve) => setTimeout(resolve, 200))
    await driver.interrupt()
    expect(await running).toBe('interrupted')
    await driver.close()
    expect({ messages: fixture.sim.stats().messagesReceived, turns: driver.state.turns }).toEqual({ messages: 0, turns: [] })
  })

  it('stops a run waiting to retry as soon as it is closed, instead of after the wait', async () => {
    fixture = await driverFixture({ scenario: LEDGER_SCENARIO, faults: ['failed@3'] }, { 'notes.txt': 'remember the ledger\n' })
    const driver = await fixture.start('Keep a ledger.', { recovery: { backoff: { baseMs: 600_000, capMs: 600_000, random: () => 0.5 } } })
    const running = driver.run()
    await vi.waitFor(() => expect(driver.state.retry).not.toBeNull(), { timeout: 10_000 })
    const stopped = expect(running).rejects.toThrow('the run was closed')
    await driver.close()
    await stopped
  })

  it('measures every turn and every tool call in the log', async () => {
    fixture = await driverFixture({ scenario: LEDGER_SCENARIO }, { 'notes.txt': 'remember the ledger\n' })
    const driver = await fixture.start('Keep a ledger.')
    expect(await driver.run()).toBe('completed')
    await driver.close()
    const { turns, toolCalls, toolCallOrder } = driver.state
    expect(turns.map((turn) => ({ measured: turn.durationMs !== null && turn.firstEventMs !== null && turn.firstEventMs <= turn.durationMs }))).toEqual(
      turns.map(() => ({ measured: true }))
    )
    const metrics = toolCallOrder.map((callId) => toolCalls[callId]?.metrics)
    expect(metrics.every((m) => m !== null && m !== undefined && m.startedAfterMs <= m.finishedAfterMs && m.finishedAfterMs <= (m.outputSentAfterMs ?? -1))).toBe(true)
    expect(metrics.every((m) => m!.runMs >= 0 && m!.approvalWaitMs >= 0 && m!.hostWaitMs >= 0)).toBe(true)
  })
})
