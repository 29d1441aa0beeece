// Runs the calls of one response: each is judged, maybe approved, then executed. The ledger in
// the run log makes this idempotent by call_id: for a call that can change anything (a shell
// command, a file write), `tool.started` is on disk before it runs, so nothing with an effect runs
// twice. Its `tool.finished` is synced the moment it is written, while the output goes to the
// model: nothing waits for that sync, because a power cut before it completes leaves the call
// started without an end, which resume already reports as an unknown outcome and never re-runs
// (the same as a power cut while the call ran). Calls of read-only tools (files, searches,
// scripts), and shell commands the policy knows to be read-only, are written in order and not
// synced on their own: losing them only means running a read again. Which is which is each tool's
// declared durability, which the policy's verdict may narrow for one call (`durabilityOf`). The
// calls of one response that may change something start together (one sync for all their
// tool.started) and run in order: a power cut while the first runs leaves the later ones
// reported as unknown too, never re-run.
//
// A call of a tool that can run programs the repository configures (a shell command: git obeys the
// repository's hooks, fsmonitor and filters even for `git status`) waits for the run's first read
// of the workspace before its tool.started, however the policy judged it: that read is the
// workspace as the run found it, and no call of the run may write into it. Tether's own reads
// (files, searches, scripts) do not wait. An interrupt, a dropped response or the driver closing
// ends the wait at once.
//
// Calls run early, while their response still streams, when they change nothing and the gate
// clears them without asking or recording anything, and only as a run of such calls from the
// response's first call on: the first call that must wait makes every later one wait too, so no
// call runs before one the model listed ahead of it. A response that is then dropped leaves those
// reads without effect: their results never reach the model (see `appendEarlyResults`).
import { performance } from 'node:perf_hooks'
import type { RunRecordBody, RunSettings } from '../../common/run/records'
import type { Durability } from '../../common/run/sync-point'
import { CHECKPOINT_PATHS_CAP } from '../../common/run/records'
import type { ToolCallView } from '../../common/run/state'
import type { Preparation, PreparedCall } from '../tools/registry/define-tool'
import { coalesceText, type CoalescedText } from '../tools/output/coalesce-text'
import type { ToolRuntime } from '../tools/tool-runtime'
import type { RunRecorder } from './run-recorder'
import type { GateCall, GateDecision, ToolGate } from './tool-gate'

/** Raw terminal output kept in the log per call; the artifact holds everything. */
const TOOL_OUTPUT_LOG_CAP = 1024 * 1024
/** Terminal chunks are coalesced over this window so a chatty command does not write a record per byte. */
const TOOL_OUTPUT_FLUSH_MS = 16

export const INTERRUPTED_OUTPUT =
  'Tether stopped while this call was running, so its outcome is unknown. It was not run again; check the state before relying on it.'

export interface CallTiming {
  emittedAt: number
  approvalWaitMs: number
  hostWaitMs: number
  startedAt: number
  finishedAt: number
  runMs: number
}

export interface ExecutorContext {
  runId: string
  workspace: string
  settings: RunSettings
  sandboxed: boolean
  signal: AbortSignal
  /**
   * Aborted when the driver closes (the host is stopping): no call starts after it and nothing
   * more is recorded, so the log stays as it was for resume (a call whose tool.started is on disk
   * is then reported as an unknown outcome, never run again).
   */
  closed: AbortSignal
  /** When the model emitted each call (monotonic ms), for latency metrics. */
  emittedAt: (callId: string) => number
  /** Tether's checkpoints of the workspace, taken around every call that may change it; null where none are kept. */
  checkpoints: CallCheckpoints | null
  /** Settles once the run's first read of the workspace has ended (at once where none is made). */
  firstRead: Promise<void>
}

/** Records the workspace around a call; resolves once the checkpoint is on disk. */
export interface CallCheckpoints {
  checkpoint(phase: 'before' | 'after', callId: string, tool: string): Promise<{ changed: string[]; notes: string[] }>
}

const NOT_RUN_OUTPUT = 'The person interrupted the run before this call ran.'

/**
 * The one write-ahead decision: the tool's declared durability, narrowed to read-only when the
 * policy's verdict knows this call changes nothing (a read-only shell command). Before the gate
 * has spoken, only the declaration counts; a call that cannot run changes nothing.
 */
export function durabilityOf(prepared: Preparation, decision: GateDecision | null): Durability {
  if (!prepared.ok) return 'read-only'
  return decision?.allowed === true && decision.changesNothing === true ? 'read-only' : prepared.durability
}

/** A call the gate let through, with what its records carry. */
interface Clearance {
  prepared: PreparedCall
  approvalWaitMs: number
  context: ExecutorContext
}

/** Settles once the first read has ended or any of `signals` aborts, whichever comes first (the caller checks which). */
function firstReadOr(firstRead: Promise<void>, signals: AbortSignal[]): Promise<void> {
  const stop = AbortSignal.any(signals)
  if (stop.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const done = (): void => {
      stop.removeEventListener('abort', done)
      resolve()
    }
    stop.addEventListener('abort', done, { once: true })
    void firstRead.then(done)
  })
}

function startedOf(call: ToolCallView): RunRecordBody {
  return { type: 'tool.started', callId: call.callId, name: call.name, arguments: call.arguments }
}

/** How far the walk over one response's calls for early runs got, and whether every call so far was cleared. */
interface EarlyWalk {
  responseIndex: number
  /** The place in the response's items to look at next. */
  next: number
  /** A call that cannot run early was met: no later call of this response runs early. */
  stopped: boolean
  allCleared: Promise<boolean>
}

export class ToolExecutor {
  /** Checkpoints after calls that are still being kept; the run's end waits for them. */
  #pendingCheckpoints = new Set<Promise<void>>()
  /** Calls run early that have not settled: `runCalls` and the run's end wait for them. */
  #early = new Map<string, { settled: Promise<void>; cancel: AbortController }>()
  #earlyWalk: EarlyWalk | null = null
  #recorder: RunRecorder
  #tools: ToolRuntime
  #gate: ToolGate
  readonly timings = new Map<string, CallTiming>()

  constructor(recorder: RunRecorder, tools: ToolRuntime, gate: ToolGate) {
    this.#recorder = recorder
    this.#tools = tools
    this.#gate = gate
  }

  /** Calls the log shows started but not finished: their outcome is unknown, so they are reported, not re-run. */
  async settleInterrupted(): Promise<void> {
    const state = this.#recorder.state
    for (const callId of state.toolCallOrder) {
      const call = state.toolCalls[callId]
      if (call?.status === 'running') await this.#endUnknown(call)
    }
  }

  async #endUnknown(call: ToolCallView): Promise<void> {
    const durability = this.#tools.registry.get(call.name)?.durability ?? 'effectful'
    await this.#recorder.recordDurable(
      { type: 'tool.finished', callId: call.callId, status: 'interrupted', exitCode: null, output: INTERRUPTED_OUTPUT, durationMs: 0, artifactPath: null },
      { durability }
    )
  }

  /**
   * Called as a response streams, each time one of its calls is complete: walks its items in the
   * order the model listed them and offers each finished call to run now (see the header). The
   * walk stops for good at a call that cannot run early, and pauses at a call still streaming
   * (or a place no event has filled yet) until a later call of the response completes.
   */
  offerEarly(responseIndex: number, context: ExecutorContext): void {
    const state = this.#recorder.state
    const response = state.responses[responseIndex]
    const preclear = this.#gate.preclear?.bind(this.#gate)
    if (!response || !preclear || context.signal.aborted) return
    if (this.#earlyWalk?.responseIndex !== responseIndex) this.#earlyWalk = { responseIndex, next: 0, stopped: false, allCleared: Promise.resolve(true) }
    const walk = this.#earlyWalk
    for (; !walk.stopped && walk.next < response.itemKeys.length; walk.next++) {
      const key = response.itemKeys[walk.next]
      const item = key ? state.items[key] : undefined
      if (!item || (item.kind === 'function_call' && item.status !== 'completed')) return
      if (item.kind !== 'function_call') continue
      const call = item.callId === null ? undefined : state.toolCalls[item.callId]
      const prepared = call ? this.#tools.registry.prepare(call.name, call.arguments) : null
      if (!call || !prepared?.ok || call.status !== 'requested' || call.responseIndex !== responseIndex || this.#early.has(call.callId)) {
        walk.stopped = true
        return
      }
      const cancel = new AbortController()
      const clearance = walk.allCleared.then((allCleared) => (allCleared ? this.#preclear(call, prepared, preclear, context, cancel.signal) : null))
      walk.allCleared = clearance.then(
        (cleared) => cleared !== null,
        () => false
      )
      this.#runEarly(call, clearance, cancel)
    }
  }

  /**
   * The call's clearance to run now, or null: the gate's, once the call may start (after the first
   * read, for a command), if the call is still the one cleared. Later calls of the response wait
   * for it, so none starts before this one.
   */
  async #preclear(call: ToolCallView, prepared: PreparedCall, preclear: NonNullable<ToolGate['preclear']>, context: ExecutorContext, cancelled: AbortSignal): Promise<Clearance | null> {
    if (context.signal.aborted) return null
    const askedAt = performance.now()
    const decision = await preclear(this.#gateCall(call, prepared, context))
    if (!decision?.allowed || durabilityOf(prepared, decision) !== 'read-only') return null
    const approvalWaitMs = performance.now() - askedAt
    if (prepared.durability === 'effectful') await firstReadOr(context.firstRead, [context.signal, context.closed, cancelled])
    // The final output may have rewritten the call while the gate judged it, or while it waited;
    // one dropped, interrupted or closed meanwhile stays asked for, and never starts.
    const now = this.#recorder.state.toolCalls[call.callId]
    if (now?.status !== 'requested' || now.name !== call.name || now.arguments !== call.arguments) return null
    if (context.signal.aborted || context.closed.aborted || cancelled.aborted) return null
    return { prepared: { ...prepared, durability: 'read-only' }, approvalWaitMs, context }
  }

  #runEarly(call: ToolCallView, clearance: Promise<Clearance | null>, cancel: AbortController): void {
    const run = clearance.then(async (cleared) => {
      if (cleared === null) return
      this.#recorder.record(startedOf(call), { durability: 'read-only' })
      const signal = AbortSignal.any([cleared.context.signal, cancel.signal])
      await this.#execute(call, { ...cleared, context: { ...cleared.context, signal } })
    })
    // A failed call stays, so that `runCalls` fails on it as it would on a call it ran itself.
    const settled = run.then(() => {
      this.#early.delete(call.callId)
    })
    settled.catch(() => undefined)
    this.#early.set(call.callId, { settled, cancel })
  }

  /**
   * Stops the calls still running early for a response that will not be answered, and resolves
   * once every one has ended: a request is sent only then, so no result of an earlier attempt
   * lands on a call asked again. (When a request is due, every call of the answered response has
   * finished, so whatever still runs early belongs to an attempt that was dropped or failed.)
   */
  async cancelEarly(): Promise<void> {
    const runs = [...this.#early.values()]
    for (const run of runs) run.cancel.abort()
    await Promise.allSettled(runs.map((run) => run.settled))
    this.#early.clear()
  }

  /** Resolves once every call ran (or was refused) and its tool.finished is written. */
  async runCalls(callIds: string[], context: ExecutorContext): Promise<void> {
    await Promise.all(callIds.map((callId) => this.#early.get(callId)?.settled))
    // A call shown running that nothing runs (no early run holds it) would be asked for forever: it
    // ends as an unknown outcome, as after a crash.
    for (const callId of new Set(callIds)) {
      const call = this.#recorder.state.toolCalls[callId]
      if (call?.status === 'running' && !this.#early.has(callId)) await this.#endUnknown(call)
    }
    const calls = callIds.flatMap((callId) => {
      const call = this.#recorder.state.toolCalls[callId]
      return call && (call.status === 'requested' || call.status === 'awaiting_approval')
        ? [{ call, prepared: this.#tools.registry.prepare(call.name, call.arguments) }]
        : []
    })
    if (calls.every(({ prepared }) => durabilityOf(prepared, null) === 'read-only')) {
      await Promise.all(
        calls.map(async ({ call, prepared }) => {
          const cleared = await this.#authorize(call, prepared, context)
          if (cleared === null) return
          this.#recorder.record(startedOf(call), { durability: cleared.prepared.durability })
          await this.#execute(call, cleared)
        })
      )
      return
    }
    // Calls that may change something run one after the other, but start together: each is judged
    // (and asked about) in order, then the tool.started records of all that may run reach the disk
    // with one sync, so a turn of N commands waits for one fdatasync instead of N. Every call still
    // runs only after its own tool.started is on disk.
    const cleared: { call: ToolCallView; declared: Durability; clearance: Clearance }[] = []
    for (const { call, prepared } of calls) {
      if (context.signal.aborted || context.closed.aborted) break
      const clearance = await this.#authorize(call, prepared, context)
      if (clearance !== null) cleared.push({ call, declared: durabilityOf(prepared, null), clearance })
    }
    // A command waits for the first read, whatever the gate judged (see the header), and before any
    // tool.started: a crash during the read leaves these calls asked for, not started.
    if (cleared.some(({ declared }) => declared === 'effectful')) await firstReadOr(context.firstRead, [context.signal, context.closed])
    if (context.closed.aborted) return
    if (context.signal.aborted) {
      // Cleared or not yet judged (the interrupt came while an earlier call was judged, or while
      // a call run early still ran): none of them runs, and each says so.
      for (const { call } of calls) {
        const status = this.#recorder.state.toolCalls[call.callId]?.status
        if (status === 'requested' || status === 'awaiting_approval') this.#finishUnrun(call.callId, 'interrupted', NOT_RUN_OUTPUT)
      }
      return
    }
    // Written in one turn of the event loop, so the writer syncs them with one fdatasync.
    const started = cleared.map(({ call, clearance }) => this.#recorder.recordDurable(startedOf(call), { durability: clearance.prepared.durability }))
    // Nothing that changes anything runs before the first call that may, so its checkpoint is
    // taken while the records reach the disk: the two write-ahead waits overlap instead of adding up.
    const first = cleared.findIndex(({ clearance }) => clearance.prepared.durability === 'effectful')
    const firstBefore = first < 0 ? null : this.#checkpoint('before', cleared[first]!.call, context)
    await Promise.all([...started, firstBefore])
    for (const [index, { call, clearance }] of cleared.entries()) {
      if (context.closed.aborted) return
      if (context.signal.aborted) this.#finishUnrun(call.callId, 'interrupted', NOT_RUN_OUTPUT)
      else await this.#execute(call, clearance, index === first ? firstBefore : null)
    }
  }

  /** Judges one call: null when it may not run (and its tool.finished says why), else how it runs. */
  async #authorize(call: ToolCallView, prepared: Preparation, context: ExecutorContext): Promise<Clearance | null> {
    if (context.closed.aborted) return null
    if (!prepared.ok) {
      this.#finishUnrun(call.callId, 'error', `Invalid arguments for ${call.name}: ${prepared.message}`)
      return null
    }
    const askedAt = performance.now()
    const decision = await this.#gate.authorize(this.#gateCall(call, prepared, context))
    const approvalWaitMs = performance.now() - askedAt
    if (context.closed.aborted) return null
    if (context.signal.aborted) {
      this.#finishUnrun(call.callId, 'interrupted', NOT_RUN_OUTPUT)
      return null
    }
    if (!decision.allowed) {
      this.#finishUnrun(call.callId, 'denied', decision.message)
      return null
    }
    return { prepared: { ...prepared, durability: durabilityOf(prepared, decision) }, approvalWaitMs, context }
  }

  #gateCall(call: ToolCallView, prepared: PreparedCall, context: ExecutorContext): GateCall {
    return {
      runId: context.runId,
      callId: call.callId,
      tool: call.name,
      arguments: call.arguments,
      subject: prepared.subject,
      mode: context.settings.approvalMode,
      sandboxed: context.sandboxed,
      workspace: context.workspace,
      approval: this.#recorder.state.approvals[call.callId] ?? null,
      signal: context.signal,
      record: (body) => this.#recorder.recordDurable(body),
      note: (body) => this.#recorder.record(body, { decidedAtOnce: true })
    }
  }

  /** Nothing ran: the outcome is written in order and synced with the next durable record. */
  #finishUnrun(callId: string, status: 'error' | 'denied' | 'interrupted', output: string): void {
    this.#recorder.record({ type: 'tool.finished', callId, status, exitCode: null, output, durationMs: 0, artifactPath: null })
  }

  /**
   * Runs a call whose tool.started is written (and, unless it changes nothing, on disk); `before`
   * is its checkpoint when that was already taken.
   */
  async #execute(call: ToolCallView, { prepared, approvalWaitMs, context }: Clearance, before: Promise<void> | null = null): Promise<void> {
    const facts = { durability: prepared.durability }
    const effectful = prepared.durability === 'effectful'
    // The checkpoint is the write-ahead copy of the files: on disk before the call may touch them.
    if (effectful) await (before ?? this.#checkpoint('before', call, context))
    if (context.closed.aborted) return
    const startedAt = performance.now()
    const output = this.#outputRecorder(call.callId)
    const result = await this.#tools.execute(
      { runId: context.runId, callId: call.callId, call: prepared },
      { onOutput: output.push, signal: context.signal }
    )
    output.flush()
    // An effectful call's end starts a sync that nothing waits for.
    this.#recorder.record(
      {
        type: 'tool.finished',
        callId: call.callId,
        status: result.status,
        exitCode: result.exitCode,
        output: result.output,
        durationMs: result.durationMs,
        artifactPath: result.artifactPath
      },
      facts
    )
    this.timings.set(call.callId, {
      emittedAt: context.emittedAt(call.callId),
      approvalWaitMs,
      hostWaitMs: result.hostWaitMs,
      startedAt,
      finishedAt: performance.now(),
      runMs: result.durationMs
    })
    // The checkpoint after the call is kept while its output goes to the model: nothing waits for
    // it but the next call's checkpoint, which the store runs after it, and the run's end.
    if (effectful) {
      const kept: Promise<void> = this.#checkpoint('after', call, context)
        .catch(() => undefined)
        .then(() => {
          this.#pendingCheckpoints.delete(kept)
        })
      this.#pendingCheckpoints.add(kept)
    }
  }

  /**
   * Resolves once every call run early has ended (one still running belongs to an attempt that
   * was not answered, and is stopped) and every checkpoint after a call is kept and recorded.
   */
  async settled(): Promise<void> {
    await this.cancelEarly()
    while (this.#pendingCheckpoints.size > 0) await Promise.all([...this.#pendingCheckpoints])
  }

  async #checkpoint(phase: 'before' | 'after', call: ToolCallView, context: ExecutorContext): Promise<void> {
    if (!context.checkpoints) return
    try {
      const { changed, notes } = await context.checkpoints.checkpoint(phase, call.callId, call.name)
      this.#recorder.record({
        type: 'checkpoint.saved',
        callId: call.callId,
        phase,
        kept: true,
        changed: changed.slice(0, CHECKPOINT_PATHS_CAP),
        changedCount: changed.length,
        notes: notes.length > CHECKPOINT_PATHS_CAP ? [...notes.slice(0, CHECKPOINT_PATHS_CAP), `and ${notes.length - CHECKPOINT_PATHS_CAP} more`] : notes
      })
    } catch (error) {
      const notes = [`no checkpoint was kept: ${(error as Error).message}`]
      this.#recorder.record({ type: 'checkpoint.saved', callId: call.callId, phase, kept: false, changed: [], changedCount: 0, notes })
    }
  }

  /** Terminal output as `tool.output` records: coalesced over a short window, and at most TOOL_OUTPUT_LOG_CAP per call. */
  #outputRecorder(callId: string): CoalescedText {
    let logged = 0
    return coalesceText(
      (text) => {
        const data = text.slice(0, Math.max(0, TOOL_OUTPUT_LOG_CAP - logged))
        if (data.length === 0) return
        logged += data.length
        this.#recorder.record({ type: 'tool.output', callId, data })
      },
      { windowMs: TOOL_OUTPUT_FLUSH_MS, maxChars: Number.POSITIVE_INFINITY }
    )
  }
}
