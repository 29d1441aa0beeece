// Stopping the host while a run's command is running: the command and everything it started are
// killed, the run is recorded as interrupted (as Ctrl-C records it for `tether run`), and close()
// returns without waiting for the command. The command sleeps far longer than any test timeout,
// so close() returning at all proves the command was killed, however busy the machine.
import { readdirSync, readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSim, type Scenario, type SimServer } from '../../../sim'
import { foldRecords } from '../../common/run/reduce'
import { readRunLog } from '../store/run-log-reader'
import { createToolRuntime } from '../tools/sandboxed-tool-runtime'
import { createAppGate } from './app-gate'
import { SettingsStore } from './settings-store'
import { createHostFixture, type HostFixture } from '../../test-support/host/host-fixture'

/** A duration no other process on the machine sleeps for, so the command is found by its arguments. */
const SLEEP_ARGUMENT = `600.${process.pid}`

const LONG_COMMAND: Scenario = {
  name: 'long-command',
  turns: [
    { output: [{ type: 'function_call', name: 'shell', arguments: { command: `sleep ${SLEEP_ARGUMENT} & sleep ${SLEEP_ARGUMENT}`, timeout_ms: 600_000 } }] },
    { output: [{ type: 'message', text: 'Done sleeping.' }] }
  ]
}

/** The living `sleep` processes of this test's command (sandboxed ones too: /proc shows every PID namespace's processes). */
function sleepers(): number[] {
  const found: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'latin1') !== `sleep\0${SLEEP_ARGUMENT}\0`) continue
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      if (!/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2))) found.push(Number(name))
    } catch {
      // Gone already.
    }
  }
  return found
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('stopping the host', () => {
  let sim: SimServer
  let fixture: HostFixture

  beforeEach(async () => {
    sim = await startSim({ scenario: LONG_COMMAND, timing: { ttftMs: 0, tokenIntervalMs: 0 } })
    fixture = await createHostFixture({
      env: { TETHER_API_KEY: 'sk-test-host' },
      toolServices: async (desk) => {
        const tools = createToolRuntime({ dataDir: fixture.dataDir.root })
        return { tools, gate: createAppGate(fixture.dataDir, desk), close: () => tools.close() }
      }
    })
    const settings = await SettingsStore.open(fixture.dataDir.settings)
    await settings.update({ provider: 'custom', baseUrl: sim.baseUrl, model: 'sim-model', approvalMode: 'auto-in-sandbox' })
    // Settings are read when a host starts: start the one the test uses on the data dir just written.
    await fixture.host.close()
    fixture = await createHostFixture({
      env: { TETHER_API_KEY: 'sk-test-host' },
      dataDir: fixture.dataDir,
      toolServices: async (desk) => {
        const tools = createToolRuntime({ dataDir: fixture.dataDir.root })
        return { tools, gate: createAppGate(fixture.dataDir, desk), close: () => tools.close() }
      }
    })
  })

  afterEach(async () => {
    await fixture.dispose()
    await sim.stop()
  })

  it('kills the running command and what it started, records the run as interrupted, and closes without waiting for it', async () => {
    const client = fixture.host.connect({ send: () => undefined, congested: () => false })
    const started = await fixture.host.dispatch(client, 'startRun', { workspace: fixture.workspace, task: 'Sleep for a while.' })
    expect(started, JSON.stringify(started)).toMatchObject({ ok: true })
    const runId = (started as { ok: true; result: { runId: string } }).result.runId
    await until(() => sleepers().length === 2, 'both sleeps to run')

    await fixture.host.close()

    expect(sleepers()).toEqual([])
    const state = foldRecords((await readRunLog(fixture.dataDir.runLog(runId))).records)
    expect({ status: state.status, calls: state.toolCallOrder.map((callId) => state.toolCalls[callId]!.status), inputs: state.userInputs.map((input) => input.kind) }).toEqual({
      status: 'interrupted',
      calls: ['interrupted'],
      inputs: ['task', 'interrupt']
    })
  })
})
