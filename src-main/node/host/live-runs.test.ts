// Runs driven by the host end to end: the sim as the model, the sandboxed tool host, the approval
// broker asking through the desk, and a renderer's view of the run built only from what the
// host pushed (a snapshot, then batched records). That view must equal the log's state.
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadScenario, startSim, type SimServer } from '../../../sim'
import type { HostEvent, RunSnapshot } from '../../common/api/contract'
import type { RunRecord } from '../../common/run/records'
import { foldRecords, reduce } from '../../common/run/reduce'
import type { RunState } from '../../common/run/state'
import { readRunLog } from '../store/run-log-reader'
import { createToolRuntime } from '../tools/sandboxed-tool-runtime'
import { createAppGate } from './app-gate'
import { findAppPaths } from './app-paths'
import type { ClientConnection } from './client-connection'
import { prepareDemoWorkspace } from './demo'
import { SettingsStore } from './settings-store'
import { createHostFixture, type HostFixture } from '../../test-support/host/host-fixture'
import type { TetherHost } from './tether-host'

const RISKY = 'rm -rf build && node scripts/build.js'

/** What a renderer holds: the snapshot, then each pushed record folded in order. */
class RendererView {
  state: RunState | null = null
  batches = 0
  events: HostEvent[] = []
  receive(event: HostEvent): void {
    this.events.push(event)
    if (event.type === 'run.snapshot') this.state = event.snapshot.state
    if (event.type !== 'run.records' || !this.state) return
    this.batches++
    for (const record of event.records) {
      if (record.seq <= this.state.lastSeq) continue
      expect(record.seq).toBe(this.state.lastSeq + 1)
      this.state = reduce(this.state, record)
    }
  }
  open(snapshot: RunSnapshot): void {
    this.state = snapshot.state
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('runs driven by the host', () => {
  let sim: SimServer
  let fixture: HostFixture
  let workspace: string

  async function hostOn(dataDirFixture: HostFixture | null): Promise<HostFixture> {
    const made = await createHostFixture({
      env: { TETHER_API_KEY: 'sk-test-host' },
      toolServices: async (desk) => {
        const tools = createToolRuntime({ dataDir: made.dataDir.root })
        return { tools, gate: createAppGate(made.dataDir, desk), close: () => tools.close() }
      },
      ...(dataDirFixture ? { dataDir: dataDirFixture.dataDir } : {})
    })
    return made
  }

  function connect(host: TetherHost, view: RendererView): ClientConnection {
    return host.connect({ send: (event) => view.receive(event), congested: () => false })
  }

  beforeEach(async () => {
    sim = await startSim({ scenario: loadScenario('demo'), timing: { ttftMs: 0, tokenIntervalMs: 0 } })
    // Settings are read when a host starts: write them, then start the host the test uses.
    const setup = await hostOn(null)
    const settings = await SettingsStore.open(setup.dataDir.settings)
    await settings.update({ provider: 'custom', baseUrl: sim.baseUrl, model: 'sim-model' })
    await setup.host.close()
    fixture = await hostOn(setup)
    workspace = await prepareDemoWorkspace(findAppPaths().resources, join(fixture.folder, 'repos'))
  })

  afterEach(async () => {
    await fixture.dispose()
    await sim.stop()
  })

  it('streams a run to a renderer whose folded view equals the log, through an approval', async () => {
    const view = new RendererView()
    const client = connect(fixture.host, view)
    const started = await fixture.host.dispatch(client, 'startRun', { workspace, task: 'The build output looks stale.' })
    expect(started.ok).toBe(true)
    const runId = (started as { ok: true; result: { runId: string } }).result.runId
    const opened = await fixture.host.dispatch(client, 'subscribeRun', { runId })
    view.open((opened as { ok: true; result: RunSnapshot }).result)

    await until(() => fixture.host.desk.isWaiting(runId, Object.keys(view.state?.approvals ?? {})[0] ?? ''), 'the approval')
    const approval = Object.values(view.state!.approvals)[0]!
    expect(approval.subject).toBe(RISKY)
    expect(approval.decision).toBeNull()
    expect(await fixture.host.dispatch(client, 'decideApproval', { runId, callId: approval.callId, decision: 'allow', scope: 'once', message: null })).toEqual({ ok: true, result: null })

    await until(() => view.state?.status === 'completed', 'the run to complete')
    await until(() => view.events.some((event) => event.type === 'run.activity' && !event.running), 'the run loop to stop')
    const log = await readRunLog(fixture.dataDir.runLog(runId))
    expect(view.state).toEqual(foldRecords(log.records))
    expect(view.state!.toolCalls[approval.callId]).toEqual(expect.objectContaining({ status: 'ok', exitCode: 0 }))
    // Batched: far fewer messages than records.
    expect(view.batches).toBeLessThan(log.records.length / 3)
  })

  it('lists the approval a run waits on; interrupted there and resumed in this host, it is logged as resumed and asks no more', async () => {
    const view = new RendererView()
    const client = connect(fixture.host, view)
    const started = await fixture.host.dispatch(client, 'startRun', { workspace, task: 'The build output looks stale.' })
    const runId = (started as { ok: true; result: { runId: string } }).result.runId
    view.open(((await fixture.host.dispatch(client, 'subscribeRun', { runId })) as { ok: true; result: RunSnapshot }).result)
    const waiting = (): boolean => Object.values(view.state?.approvals ?? {}).some((approval) => approval.decision === null && fixture.host.desk.isWaiting(runId, approval.callId))
    await until(waiting, 'the approval')
    const listed = async () => ((await fixture.host.dispatch(client, 'listRuns', { workspace: null })) as { ok: true; result: { id: string; waitingApprovals: number }[] }).result
    expect((await listed()).find((run) => run.id === runId)?.waitingApprovals).toBe(1)
    const changedAt = view.events.length

    expect(await fixture.host.dispatch(client, 'interrupt', { runId })).toEqual({ ok: true, result: null })
    await until(() => view.state?.status === 'interrupted', 'the interrupt')
    await until(() => view.events.slice(changedAt).some((event) => event.type === 'run.activity' && !event.running), 'the run loop to stop')
    expect(await fixture.host.dispatch(client, 'resumeRun', { runId })).toEqual({ ok: true, result: null })
    await until(() => view.state?.status === 'running', 'the resume')
    expect(view.state!.timeline.filter((entry) => entry.kind === 'resumed')).toEqual([{ kind: 'resumed', reason: 'resumed from the app', at: expect.any(Number), freshShell: true }])
    expect((await listed()).find((run) => run.id === runId)?.waitingApprovals).toBe(0)
    await until(() => view.state?.status === 'completed', 'the run to complete')
    expect(Object.values(view.state!.toolCalls).find((call) => call.arguments.includes(RISKY))?.status).toBe('interrupted')
  })

  it('asks again after the host stopped during an approval, and the answer resumes the run', async () => {
    const first = new RendererView()
    const client = connect(fixture.host, first)
    const started = (await fixture.host.dispatch(client, 'startRun', { workspace, task: 'The build output looks stale.' })) as { ok: true; result: { runId: string } }
    const runId = started.result.runId
    first.open(((await fixture.host.dispatch(client, 'subscribeRun', { runId })) as { ok: true; result: RunSnapshot }).result)
    await until(() => Object.values(first.state?.approvals ?? {}).length > 0, 'the approval')
    const callId = Object.keys(first.state!.approvals)[0]!
    await fixture.host.close()

    const restarted = await hostOn(fixture)
    const view = new RendererView()
    const again = connect(restarted.host, view)
    const snapshot = ((await restarted.host.dispatch(again, 'subscribeRun', { runId })) as { ok: true; result: RunSnapshot }).result
    view.open(snapshot)
    expect(snapshot.running).toBe(false)
    expect(snapshot.state.approvals[callId]?.decision).toBeNull()
    expect(await restarted.host.dispatch(again, 'decideApproval', { runId, callId, decision: 'deny', scope: 'once', message: 'not today' })).toEqual({ ok: true, result: null })

    await until(() => view.state?.status === 'completed', 'the resumed run to complete')
    await until(() => view.events.some((event) => event.type === 'run.activity' && !event.running), 'the run loop to stop')
    const log = await readRunLog(restarted.dataDir.runLog(runId))
    expect(view.state).toEqual(foldRecords(log.records))
    expect(view.state!.toolCalls[callId]).toEqual(expect.objectContaining({ status: 'denied', output: 'The person denied this command: not today' }))
    expect(log.records.filter((record: RunRecord) => record.type === 'approval.requested')).toHaveLength(1)
    await restarted.host.close()
  })
})
