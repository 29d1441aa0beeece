// Runs side by side in one host: four runs (three repositories, two runs in the same one) each
// wait for their own approval at the same time, are answered in an order unrelated to when they
// asked, and finish; each renderer view equals its log. Once they stop, the host holds no driver,
// no approval line and only a bounded number of folded states.
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadScenario, startSim, type SimServer } from '../../../sim'
import type { HostEvent, RunSnapshot } from '../../common/api/contract'
import { foldRecords, LiveFold } from '../../common/run/reduce'
import type { RunState } from '../../common/run/state'
import { ApprovalBroker } from '../policy/approval-broker'
import { TetherPolicy } from '../policy/tether-policy'
import { readRunLog } from '../store/run-log-reader'
import { createToolRuntime } from '../tools/sandboxed-tool-runtime'
import { deskAsker } from './app-gate'
import { findAppPaths } from './app-paths'
import { prepareDemoWorkspace } from './demo'
import { SettingsStore } from './settings-store'
import { createHostFixture, type HostFixture } from '../../test-support/host/host-fixture'

const RISKY = 'rm -rf build && node scripts/build.js'

/** A renderer's view of one run: the snapshot, then pushed records folded in order. */
class RunView {
  #fold: LiveFold | null = null
  stopped = false
  receive(event: HostEvent): void {
    if (event.type === 'run.snapshot') this.#fold = new LiveFold(event.snapshot.state)
    if (event.type === 'run.activity' && !event.running) this.stopped = true
    if (event.type !== 'run.records' || !this.#fold) return
    for (const record of event.records) {
      if (record.seq <= this.#fold.current.lastSeq) continue
      expect(record.seq).toBe(this.#fold.current.lastSeq + 1)
      this.#fold.apply(record)
    }
  }
  open(snapshot: RunSnapshot): void {
    this.#fold = new LiveFold(snapshot.state)
  }
  get state(): RunState | null {
    return this.#fold?.current ?? null
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('runs side by side', () => {
  let sim: SimServer
  let fixture: HostFixture
  let broker: ApprovalBroker | null = null

  beforeEach(async () => {
    sim = await startSim({ scenario: loadScenario('demo'), timing: { ttftMs: 0, tokenIntervalMs: 0 } })
    const hostOn = (previous: HostFixture | null): Promise<HostFixture> => {
      const made: Promise<HostFixture> = createHostFixture({
        env: { TETHER_API_KEY: 'sk-test-host' },
        toolServices: async (desk) => {
          const { dataDir } = await made
          const tools = createToolRuntime({ dataDir: dataDir.root })
          broker = new ApprovalBroker({ policy: new TetherPolicy({ dataDir }), asker: deskAsker(desk) })
          return { tools, gate: broker, close: () => tools.close() }
        },
        ...(previous ? { dataDir: previous.dataDir } : {})
      })
      return made
    }
    const setup = await hostOn(null)
    const settings = await SettingsStore.open(setup.dataDir.settings)
    await settings.update({ provider: 'custom', baseUrl: sim.baseUrl, model: 'sim-model' })
    await setup.host.close()
    fixture = await hostOn(setup)
  })

  afterEach(async () => {
    await fixture.dispose()
    await sim.stop()
  })

  it('four runs wait for their own approvals at once and are answered in any order', async () => {
    const resources = findAppPaths().resources
    const repoA = await prepareDemoWorkspace(resources, join(fixture.folder, 'repo-a'))
    const repoB = await prepareDemoWorkspace(resources, join(fixture.folder, 'repo-b'))
    const repoC = await prepareDemoWorkspace(resources, join(fixture.folder, 'repo-c'))
    const workspaces = [repoA, repoB, repoC, repoC]
    const views = new Map<string, RunView>()
    const client = fixture.host.connect({
      send: (event) => {
        const runId = event.type === 'run.snapshot' ? event.snapshot.runId : event.type === 'runs.changed' ? null : event.runId
        if (runId) views.get(runId)?.receive(event)
      },
      congested: () => false
    })
    const runIds: string[] = []
    for (const [index, workspace] of workspaces.entries()) {
      const started = await fixture.host.dispatch(client, 'startRun', { workspace, task: `The build output looks stale (${index}).` })
      expect(started.ok).toBe(true)
      const runId = (started as { ok: true; result: { runId: string } }).result.runId
      const view = new RunView()
      views.set(runId, view)
      view.open(((await fixture.host.dispatch(client, 'subscribeRun', { runId })) as { ok: true; result: RunSnapshot }).result)
      runIds.push(runId)
    }

    const pendingCall = (runId: string): string | null => {
      const approval = Object.values(views.get(runId)?.state?.approvals ?? {}).find((view) => view.decision === null)
      return approval && fixture.host.desk.isWaiting(runId, approval.callId) ? approval.callId : null
    }
    await until(() => runIds.every((runId) => pendingCall(runId) !== null), 'all four runs to wait for their approvals')
    for (const runId of runIds) expect(views.get(runId)!.state!.approvals[pendingCall(runId)!]!.subject).toBe(RISKY)

    const order = [3, 1, 0, 2]
    for (const index of order) {
      const runId = runIds[index]!
      const decision = index % 2 === 0 ? 'allow' : 'deny'
      expect(await fixture.host.dispatch(client, 'decideApproval', { runId, callId: pendingCall(runId)!, decision, scope: 'once', message: null })).toEqual({ ok: true, result: null })
    }

    await until(() => runIds.every((runId) => views.get(runId)!.stopped && views.get(runId)!.state?.status === 'completed'), 'all four runs to finish')
    for (const [index, runId] of runIds.entries()) {
      const log = await readRunLog(fixture.dataDir.runLog(runId))
      const state = views.get(runId)!.state!
      expect(state).toEqual(foldRecords(log.records))
      expect(state.workspace).toBe(workspaces[index])
      const [call] = Object.values(state.approvals)
      expect(state.toolCalls[call!.callId]!.status).toBe(index % 2 === 0 ? 'ok' : 'denied')
    }

    // Stopped runs hold nothing live: no driver, no approval line; folded states stay bounded.
    await until(() => fixture.host.runs.liveRuns === 0, 'the drivers to close')
    expect(broker!.openRuns).toBe(0)
    expect(fixture.host.runs.keptRuns).toBeLessThanOrEqual(4)
    // A finished run opens from the kept state, equal to its log.
    const reopened = ((await fixture.host.dispatch(client, 'subscribeRun', { runId: runIds[0]! })) as { ok: true; result: RunSnapshot }).result
    expect(reopened.state).toEqual(foldRecords((await readRunLog(fixture.dataDir.runLog(runIds[0]!))).records))
  })
})
