// Resuming a run with the person's new settings: each one is recorded with the resume, shown in
// the run's state, and governs the rest of the run; what they leave out stays as recorded.
import { afterEach, describe, expect, it } from 'vitest'
import type { Scenario } from '../../../sim'
import type { RunRecord, SettingsChange } from '../../common/run/records'
import { driverFixture, type DriverFixture, type DriverSetup } from '../../test-support/driver/driver-fixture'
import { ApprovalBroker } from '../policy/approval-broker'
import { TetherPolicy } from '../policy/tether-policy'
import { readRunLog } from '../store/run-log-reader'
import { RunDriver } from './run-driver'

let fixture: DriverFixture | null = null
afterEach(async () => {
  await fixture?.cleanup()
  fixture = null
})

/** A first turn that only answers, then, after a follow-up, a note to write and the proxy to show. */
const FOLLOW_UP: Scenario = {
  name: 'follow-up',
  turns: [
    { output: [{ type: 'message', text: 'Ready.' }] },
    {
      output: [
        { type: 'function_call', name: 'write_file', arguments: { path: 'note.txt', content: 'written\n' } },
        { type: 'function_call', name: 'shell', arguments: { command: 'echo "proxy=${HTTPS_PROXY:-none}"', timeout_ms: null } }
      ]
    },
    { output: [{ type: 'message', text: 'Done.' }] }
  ]
}

interface Resumed {
  driver: RunDriver
  records: RunRecord[]
  /** The model requests the sim received after the resume. */
  requests: Array<{ transport: string; body: Record<string, unknown> }>
}

/** Runs the first turn with `first`, then resumes with `changes` and a follow-up, to the end. */
async function resumeWith(first: Partial<DriverSetup>, changes: SettingsChange): Promise<Resumed> {
  fixture = await driverFixture({ scenario: FOLLOW_UP })
  // Tether's own policy, with nobody to ask: the approval mode alone decides.
  const gate = new ApprovalBroker({ policy: new TetherPolicy({ dataDir: fixture.dataDir }), asker: null })
  const started = await fixture.start('Get ready.', { gate, ...first })
  expect(await started.run()).toBe('completed')
  await started.close()
  const seen = fixture.sim.received.length
  const driver = await RunDriver.resume(fixture.dataDir, started.runId, fixture.services({ gate }), 'test', changes)
  await driver.followUp('Write the note.')
  expect(await driver.run()).toBe('completed')
  await driver.close()
  const requests = fixture.sim.received
    .slice(seen)
    .flatMap((message) => (typeof message.body === 'object' && message.body !== null ? [{ transport: message.transport, body: message.body as Record<string, unknown> }] : []))
  return { driver, records: (await readRunLog(driver.logPath)).records, requests }
}

function resumedRecords(records: RunRecord[]): Array<Extract<RunRecord, { type: 'run.resumed' }>> {
  return records.filter((record): record is Extract<RunRecord, { type: 'run.resumed' }> => record.type === 'run.resumed')
}

function noteWritten(): boolean {
  try {
    return fixture!.read('note.txt') === 'written\n'
  } catch {
    return false
  }
}

describe('resuming a run with new settings', () => {
  it('--approval: a run resumed read-only refuses the write it would have made', async () => {
    const { driver, records } = await resumeWith({ approvalMode: 'auto-in-sandbox' }, { approvalMode: 'read-only' })
    expect(driver.changed).toEqual({ approvalMode: 'read-only' })
    expect(resumedRecords(records)[0]).toMatchObject({ reason: 'test', changed: { approvalMode: 'read-only' } })
    expect(driver.state.settings?.approvalMode).toBe('read-only')
    const write = Object.values(driver.state.toolCalls).find((call) => call.name === 'write_file')
    expect(write?.status).toBe('denied')
    expect(noteWritten()).toBe(false)
  })

  it('--approval: and the other way, a run resumed in the sandbox writes what read-only refused', async () => {
    const { driver } = await resumeWith({ approvalMode: 'read-only' }, { approvalMode: 'auto-in-sandbox' })
    expect(driver.changed).toEqual({ approvalMode: 'auto-in-sandbox' })
    expect(noteWritten()).toBe(true)
  })

  it('--transport: the turns after the resume go over the new transport', async () => {
    const { driver, requests } = await resumeWith({ transport: 'ws' }, { transport: 'sse' })
    expect(driver.changed).toEqual({ transport: 'sse' })
    expect(driver.state.turns.map((turn) => turn.transport)).toEqual(['ws', 'sse', 'sse'])
    expect(requests.map((request) => request.transport)).toEqual(['http', 'http'])
  })

  it('--allow-network: the sandboxed shell gets the allowlist proxy from the resume on', async () => {
    const { driver } = await resumeWith({ networkAllowlist: [] }, { networkAllowlist: ['example.com'] })
    expect(driver.changed).toEqual({ networkAllowlist: ['example.com'] })
    expect(driver.state.settings?.networkAllowlist).toEqual(['example.com'])
    const shell = Object.values(driver.state.toolCalls).find((call) => call.name === 'shell')
    expect(shell?.output).toMatch(/^proxy=http:\/\/127\.0\.0\.1:\d+\n/)
  })

  it('--model: the requests after the resume ask for the new model', async () => {
    const { driver, requests } = await resumeWith({ model: 'sim-model' }, { model: 'sim-model-2' })
    expect(driver.changed).toEqual({ model: 'sim-model-2' })
    expect(driver.state.model).toBe('sim-model-2')
    expect(requests.map((request) => request.body.model)).toEqual(['sim-model-2', 'sim-model-2'])
  })

  it('--store: the requests after the resume let the server store responses', async () => {
    const { driver, requests } = await resumeWith({ store: false }, { store: true })
    expect(driver.changed).toEqual({ store: true })
    expect(requests.map((request) => request.body.store)).toEqual([true, true])
  })

  it('--reasoning-effort / --reasoning-summary: the requests after the resume ask for the new reasoning', async () => {
    const { driver, requests } = await resumeWith({ reasoning: { effort: null, summary: 'none' } }, { reasoning: { effort: 'high', summary: 'detailed' } })
    expect(driver.changed).toEqual({ reasoning: { effort: 'high', summary: 'detailed' } })
    expect(requests.map((request) => request.body.reasoning)).toEqual([
      { effort: 'high', summary: 'detailed' },
      { effort: 'high', summary: 'detailed' }
    ])
  })

  it('records nothing as changed when the flags repeat what the run has, and keeps what they leave out', async () => {
    const { driver, records } = await resumeWith({ approvalMode: 'auto-in-sandbox', transport: 'ws' }, { approvalMode: 'auto-in-sandbox' })
    expect(driver.changed).toEqual({})
    expect(resumedRecords(records).map((record) => record.changed)).toEqual([undefined, undefined])
    expect(driver.state.settings).toMatchObject({ approvalMode: 'auto-in-sandbox', transport: 'ws' })
    expect(noteWritten()).toBe(true)
  })
})
