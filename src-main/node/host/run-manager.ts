// The runs this host drives: starting, resuming, steering, interrupting, and the record feed the
// UI bridge forwards. A run lives in a RunDriver while its loop runs (or it is taken up for a
// follow-up); when the loop stops, the driver is closed (its socket, shell and approval line
// freed) and its last state goes to the RunStore. Any other run is only its log, folded once by
// the store.
import type { RunLogHealth, RunSnapshot } from '../../common/api/contract'
import type { RunRecord, RunRecordBody, RunOutcome } from '../../common/run/records'
import { displayState } from '../../common/run/display-state'
import { summarizeMetrics } from '../../common/run/metrics-summary'
import { runView } from '../../common/run/run-view'
import { taskOf } from '../../common/run/transcript'
import { contextMeterOf } from '../../common/usage/context-meter'
import type { RunState } from '../../common/run/state'
import { RunDriver, RunNotFoundError } from '../driver/run-driver'
import type { DriverServices, RunChoices } from '../driver/driver-options'
import type { WorkspaceCheckpoints } from '../snapshots/workspace-checkpoints'
import type { DataDir } from '../store/data-dir'
import type { FoldProgress } from '../store/run-log-fold'
import { newRunId } from '../store/run-id'
import { createRunWorktree, WorktreeError } from '../repo/run-worktree'
import type { ApprovalDesk } from './approval-desk'
import { HostError } from './host-error'
import { ReplayIndexes } from './replay-indexes'
import { RunStore } from './run-store'

const HEALTHY_LOG: RunLogHealth = Object.freeze({ problems: [], problemCount: 0, tornTailBytes: 0 })

/**
 * What a page is sent for a run no driver holds: for a very long run, its latest transcript
 * entries (run-view.ts) and the whole run's figures. A run a driver holds is sent whole: the
 * page folds the records that follow onto it.
 */
function forView(snapshot: RunSnapshot): RunSnapshot {
  const { state, leftOut } = runView(snapshot.state)
  if (leftOut === 0) return snapshot
  const whole = snapshot.state
  const totals = { meter: contextMeterOf(whole), metrics: summarizeMetrics(whole), task: taskOf(whole) }
  return { ...snapshot, state, leftOut, totals }
}

/** What a run needs from the host around it. */
export interface RunServices {
  dataDir: DataDir
  desk: ApprovalDesk
  /** Options for a new run, or for continuing one whose folded state is given. */
  /** The services and the person's choices for a new run; `model` overrides the settings' model. */
  newRun(demo: boolean, workspace: string, model?: string): Promise<{ services: DriverServices; choices: RunChoices }>
  /** The services for continuing a run whose folded state is given; it keeps its recorded choices. */
  existingRun(state: RunState): Promise<DriverServices>
}

export interface RunWatcher {
  record(record: RunRecord): void
  /** The run's state was replaced (it was taken up by this host): drop queued records, use this. */
  snapshot(snapshot: RunSnapshot): void
  activity(running: boolean, error: string | null): void
  /** The run's log is being folded: how far it got. */
  loading?(progress: FoldProgress): void
}

interface LiveRun {
  driver: RunDriver
  running: Promise<RunOutcome | null> | null
  /** Pending approvals when the list last heard of them. */
  waiting: number
  /** A recount is queued for the end of this tick. */
  recount: boolean
}

/** Undecided approvals of calls that still wait (an interrupted call's approval is asked no more). */
function pendingApprovals(state: RunState): number {
  let count = 0
  for (const approval of Object.values(state.approvals)) {
    const status = state.toolCalls[approval.callId]?.status
    if (approval.decision === null && (status === undefined || status === 'awaiting_approval' || status === 'requested')) count++
  }
  return count
}

/** A call past its approval is running: its command (or script) is executing now. */
function hasRunningCall(state: RunState): boolean {
  return Object.values(state.toolCalls).some((call) => call.status === 'running')
}

export class RunManager {
  #services: RunServices
  #live = new Map<string, LiveRun>()
  /** Drivers being closed after their loop stopped: a run is taken up again only once this is done. */
  #closing = new Map<string, Promise<void>>()
  #watchers = new Map<string, Set<RunWatcher>>()
  #store: RunStore
  /** The replay index of each log opened, whose fold is also the store's. */
  readonly replays: ReplayIndexes
  #onListChanged: () => void

  constructor(services: RunServices, onListChanged: () => void) {
    this.#services = services
    this.#onListChanged = onListChanged
    this.replays = new ReplayIndexes((runId) => services.dataDir.runLog(runId))
    this.#store = new RunStore(this.replays)
  }

  /** Runs a driver holds right now (running, or taken up and about to run). */
  get liveRuns(): number {
    return this.#live.size
  }

  /** Folded runs the store keeps besides the live ones. */
  get keptRuns(): number {
    return this.#store.size
  }

  isRunning(runId: string): boolean {
    return this.#live.get(runId)?.running != null
  }

  /** Approvals a run this host holds is waiting on; 0 for a run it does not hold. */
  waitingApprovals(runId: string): number {
    const live = this.#live.get(runId)
    return live ? pendingApprovals(live.driver.state) : 0
  }

  /**
   * Starts a run; `model` overrides the settings' model for this run. With `worktree` the run
   * works in a new git worktree of `workspace` instead of in it.
   */
  async start(workspace: string, task: string, demo: boolean, model?: string, worktree = false): Promise<string> {
    const { services, choices } = await this.#services.newRun(demo, workspace, model)
    let driver: RunDriver
    if (worktree) {
      const runId = newRunId()
      let created
      try {
        created = await createRunWorktree(this.#services.dataDir, workspace, runId)
      } catch (error) {
        if (error instanceof WorktreeError) throw new HostError('invalid_request', error.message)
        throw error
      }
      const { path, ...info } = created
      driver = await RunDriver.start(this.#services.dataDir, path, task, services, choices, { runId, info })
    } else {
      driver = await RunDriver.start(this.#services.dataDir, workspace, task, services, choices)
    }
    this.#adopt(driver)
    this.#launch(driver.runId)
    return driver.runId
  }

  /** The checkpoints of a run this host holds (from its first run on), or null. */
  async checkpointsOf(runId: string): Promise<WorkspaceCheckpoints | null> {
    return (await this.#live.get(runId)?.driver.checkpoints()) ?? null
  }

  /** Appends a record made outside the run loop (a rewind) to a run this host holds. */
  async recordHeld(runId: string, body: RunRecordBody): Promise<boolean> {
    const live = this.#live.get(runId)
    if (!live) return false
    await live.driver.recordDurable(body)
    return true
  }

  /** Forwards a record another writer appended to a run's log (the run is not held here) to its watchers. */
  forward(runId: string, record: RunRecord): void {
    for (const watcher of this.#watchers.get(runId) ?? []) watcher.record(record)
  }

  /** The state to show for a run: live from its driver, else folded from its log. */
  async snapshot(runId: string, onProgress?: (progress: FoldProgress) => void): Promise<RunSnapshot> {
    const stored = this.#live.has(runId) ? null : await this.#load(runId, onProgress)
    // The run may have been taken up while its log was read: the driver's state is then the newer one.
    const live = this.#live.get(runId)
    if (live) return { runId, state: displayState(live.driver.snapshot()), leftOut: 0, totals: null, running: live.running !== null, log: HEALTHY_LOG }
    const { state, health } = stored ?? (await this.#load(runId, onProgress))
    return { runId, state, leftOut: 0, totals: null, running: false, log: health }
  }

  /**
   * Forwards a run's records to `watcher` from now on and returns the state they follow. Records
   * already folded into that state may still arrive; a watcher skips those by `seq`.
   */
  async watch(runId: string, watcher: RunWatcher): Promise<{ snapshot: RunSnapshot; stop: () => void }> {
    let set = this.#watchers.get(runId)
    if (!set) this.#watchers.set(runId, (set = new Set()))
    const watchers = set
    watchers.add(watcher)
    const stop = (): void => {
      watchers.delete(watcher)
      if (watchers.size === 0 && this.#watchers.get(runId) === watchers) this.#watchers.delete(runId)
    }
    try {
      const snapshot = await this.snapshot(runId, (progress) => watcher.loading?.(progress))
      return { snapshot: this.#live.has(runId) ? snapshot : forView(snapshot), stop }
    } catch (error) {
      stop()
      throw error
    }
  }

  async steer(runId: string, text: string): Promise<void> {
    const live = this.#live.get(runId)
    if (!live?.running) throw new HostError('conflict', 'the run is not running; send a follow-up instead')
    await live.driver.steer(text)
  }

  async followUp(runId: string, text: string): Promise<void> {
    if (this.isRunning(runId)) throw new HostError('conflict', 'the run is still going; steer it instead')
    const driver = this.#live.get(runId)?.driver ?? (await this.#takeUp(runId, 'reopened for a follow-up message'))
    await driver.followUp(text)
    this.#launch(runId)
  }

  async interrupt(runId: string): Promise<void> {
    const live = this.#live.get(runId)
    if (!live?.running) throw new HostError('conflict', 'the run is not running')
    await live.driver.interrupt()
  }

  /** Continues a run that stopped before it finished its work (the host restarted, it failed, it was interrupted). */
  async resume(runId: string): Promise<void> {
    if (this.isRunning(runId)) throw new HostError('conflict', 'the run is already running')
    const state = (await this.snapshot(runId)).state
    if (state.status === 'completed') throw new HostError('conflict', 'the run completed; send a follow-up to continue it')
    if (!this.#live.has(runId)) await this.#takeUp(runId, 'resumed from the app')
    this.#launch(runId)
  }

  /** Answers an approval: to the run waiting for it, or to a run that stopped while it waited (it resumes). */
  async decide(answer: Parameters<ApprovalDesk['answer']>[0]): Promise<void> {
    const desk = this.#services.desk
    if (desk.answer(answer)) return
    if (this.isRunning(answer.runId)) {
      throw new HostError('not_found', `the run is not waiting for a decision on ${answer.callId}`)
    }
    const state = (await this.snapshot(answer.runId)).state
    const approval = state.approvals[answer.callId]
    if (!approval || approval.decision !== null) {
      throw new HostError('not_found', `no pending approval for ${answer.callId} in ${answer.runId}`)
    }
    desk.answerAhead(answer)
    try {
      await this.resume(answer.runId)
    } catch (error) {
      desk.forgetRun(answer.runId)
      throw error
    }
  }

  /**
   * Closes every driver; their logs stay. A run whose command is running is interrupted first, as
   * the person's interrupt would: the command and everything it started are killed at once and the
   * run is recorded as interrupted, where leaving it would hold the host up until the command ends.
   * Pending approvals stay pending in the logs.
   */
  async close(): Promise<void> {
    const executing = [...this.#live.values()].filter((live) => live.running !== null && hasRunningCall(live.driver.state))
    await Promise.allSettled(
      executing.map(async (live) => {
        const running = live.running
        await live.driver.interrupt()
        await running
      })
    )
    const drivers = [...this.#live.values()].map((live) => live.driver)
    this.#live.clear()
    await Promise.allSettled([...drivers.map((driver) => driver.close()), ...this.#closing.values()])
  }

  async #load(runId: string, onProgress?: (progress: FoldProgress) => void): Promise<{ state: RunState; health: RunLogHealth }> {
    try {
      return await this.#store.load(runId, onProgress)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new HostError('not_found', `no run ${runId}`)
      throw error
    }
  }

  async #takeUp(runId: string, reason: string): Promise<RunDriver> {
    await this.#closing.get(runId)
    const live = this.#live.get(runId)
    if (live) return live.driver
    const { state } = await this.#load(runId)
    const services = await this.#services.existingRun(state)
    let driver: RunDriver
    try {
      driver = await RunDriver.resume(this.#services.dataDir, runId, services, reason)
    } catch (error) {
      if (error instanceof RunNotFoundError) throw new HostError('not_found', error.message)
      throw error
    }
    const raced = this.#live.get(runId)
    if (raced) {
      // Another request took the run up while this one opened its log: keep theirs.
      await driver.close()
      return raced.driver
    }
    this.#adopt(driver)
    return driver
  }

  #adopt(driver: RunDriver): void {
    const runId = driver.runId
    this.#store.release(runId)
    const live: LiveRun = { driver, running: null, waiting: pendingApprovals(driver.state), recount: false }
    this.#live.set(runId, live)
    driver.subscribe((record) => {
      for (const watcher of this.#watchers.get(runId) ?? []) watcher.record(record)
      if (record.type === 'approval.requested' || record.type === 'approval.decided') this.#recountApprovals(live)
    })
    const snapshot: RunSnapshot = { runId, state: displayState(driver.snapshot()), leftOut: 0, totals: null, running: false, log: HEALTHY_LOG }
    for (const watcher of this.#watchers.get(runId) ?? []) watcher.snapshot(snapshot)
  }

  /**
   * The runs list shows which runs wait for the person: it hears when that number changes. Counted
   * once per tick, so a question a rule or the mode answers at once (request and decision
   * together) changes nothing.
   */
  #recountApprovals(live: LiveRun): void {
    if (live.recount) return
    live.recount = true
    queueMicrotask(() => {
      live.recount = false
      const waiting = pendingApprovals(live.driver.state)
      if (waiting === live.waiting) return
      live.waiting = waiting
      this.#onListChanged()
    })
  }

  #launch(runId: string): void {
    const live = this.#live.get(runId)
    if (!live || live.running) return
    const running = live.driver.run().then(
      (outcome) => {
        this.#stopped(runId, null)
        return outcome
      },
      (error: unknown) => {
        this.#stopped(runId, (error as Error)?.message ?? String(error))
        return null
      }
    )
    live.running = running
    this.#emitActivity(runId, true, null)
    this.#onListChanged()
  }

  #stopped(runId: string, error: string | null): void {
    const live = this.#live.get(runId)
    if (live) {
      live.running = null
      this.#release(runId, live.driver)
    }
    this.#emitActivity(runId, false, error)
    this.#onListChanged()
  }

  /** Frees what a stopped run held (socket, shell, approval line); its state stays in the store. */
  #release(runId: string, driver: RunDriver): void {
    this.#live.delete(runId)
    this.#store.keep(runId, driver.snapshot())
    const closing = driver
      .close()
      .catch(() => undefined)
      .finally(() => {
        if (this.#closing.get(runId) === closing) this.#closing.delete(runId)
      })
    this.#closing.set(runId, closing)
  }

  #emitActivity(runId: string, running: boolean, error: string | null): void {
    for (const watcher of this.#watchers.get(runId) ?? []) watcher.activity(running, error)
  }
}
