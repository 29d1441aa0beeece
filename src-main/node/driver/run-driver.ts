// The agent loop of one run: one persistent connection, only new input per turn, recovery
// without lost or repeated work, and metrics, all recorded in the run log. What happens next is
// always read off the folded state (`nextStep`), so a live run and a resumed one take one path.
import { performance } from 'node:perf_hooks'
import { mkdir, realpath } from 'node:fs/promises'
import type { InputItem, ServerEvent } from '../../common/protocol/wire'
import type { RetryScheduledRecord, RunOutcome, RunSettings, SettingsChange, Transport, WorktreeInfo } from '../../common/run/records'
import { assertNever } from '../../common/run/records'
import { foldRecords } from '../../common/run/reduce'
import { withoutRequestEcho } from '../../common/run/request-echo'
import { nextStep } from '../../common/run/next-step'
import type { RunState } from '../../common/run/state'
import { initialRunState } from '../../common/run/state'
import { composeInstructions, loadInstructionFiles } from '../project/instruction-files'
import type { DataDir } from '../store/data-dir'
import { newRunId } from '../store/run-id'
import { readRunLog } from '../store/run-log-reader'
import { RunLogWriter } from '../store/run-log-writer'
import { describeError, errorClassOf, type ErrorFacts } from '../../common/providers/error-classes'
import { retryHintsOf } from '../../common/providers/retry-hints'
import { PROVIDERS } from '../../common/providers/providers'
import { SnapshotStore } from '../snapshots/snapshot-store'
import { WorkspaceCheckpoints } from '../snapshots/workspace-checkpoints'
import { backoffDelayMs, sleep } from './backoff'
import { buildRequest, type RequestSettings } from './request-builder'
import {
  COMPACTION_TRIGGER_RATIO,
  compactionDue,
  compactionItemIndex,
  contextTokens,
  estimateContextTokens,
  summaryBoundary,
  summaryInput,
  summaryReplacement,
  type CompactionMethod
} from './compaction'
import { contextMeterOf, modelEntry } from '../../common/usage/context-meter'
import { RunRecorder, type RecordListener } from './run-recorder'
import { changedSettings, DEFAULT_RECOVERY, type DriverServices, type RecoveryPolicy, type RunChoices } from './driver-options'
import { SseTransport } from './sse-transport'
import { ToolExecutor, type CallCheckpoints, type ExecutorContext } from './tool-executor'
import type { InboundFrame, ModelTransport, TurnEnd } from './transport'
import { WsTransport } from './ws-transport'

/** What a failed attempt means for the loop. */
type Recovery = { kind: 'retry'; delayMs: number } | { kind: 'fail'; reason: string }

/** A refused key or an empty account fails the upgrade and the POST alike: no fallback helps. */
function isPermanentForAccount(facts: ErrorFacts): boolean {
  const name = errorClassOf(facts).name
  return name === 'auth' || name === 'quota'
}

export class RunNotFoundError extends Error {}

/** Whether a shell command of this run ever ran: only then did the shell hold state (cd, export) a new one lacks. */
function shellWasUsed(state: RunState): boolean {
  return state.toolCallOrder.some((callId) => {
    const call = state.toolCalls[callId]
    return call?.name === 'shell' && call.startedAt !== null
  })
}

export class RunDriver {
  readonly runId: string
  #recorder: RunRecorder
  #services: DriverServices
  #recovery: RecoveryPolicy
  #settings: RunSettings
  #dataDir: DataDir
  #transport: ModelTransport
  #executor: ToolExecutor
  #checkpoints: WorkspaceCheckpoints | null = null
  /** The first read of the workspace, made once per driver while the first request is out. */
  #checkpointsOpening: Promise<void> | null = null
  /** Why no checkpoints are kept for this run, once opening them failed. */
  #checkpointsUnavailable: string | null = null
  /** The response the current connection holds, if a continuation may rely on it. */
  #held: { connectionId: number | null; responseId: string } | null = null
  /** The connection opened at the start of `run()`, until the first request takes it over. */
  #connecting: Promise<TurnEnd | null> | null = null
  /**
   * Aborted by `close()`: a loop still running (the host is stopping) opens nothing after it and
   * stops at its next step, without recording an interruption (the log stays as it was, for resume).
   */
  #closing = new AbortController()
  #abort = new AbortController()
  #emittedAt = new Map<string, number>()
  /** Where the provider has no `response.steer`, input waits for the next turn without trying. */
  #steeringSupported: boolean
  #running = false
  /** Whether this driver opened the run's tools (its shell) and has not closed them. */
  #toolsOpen = false
  #failures = 0
  #wsFailures = 0
  #compactionMethod: CompactionMethod
  /** Set when the next request must compact: the context size that called for it. */
  #compactNext: { tokens: number; reason: string } | null = null
  /** The server refused the context as too long and a compaction was made for it: a second refusal ends the run. */
  #compactedForRefusal = false
  /** The request in flight asks the server to compact: steering input waits for the next turn. */
  #turnCompacts = false

  /** What the person changed when this driver resumed the run (empty for a new run). */
  readonly changed: SettingsChange

  private constructor(runId: string, recorder: RunRecorder, services: DriverServices, settings: RunSettings, dataDir: DataDir, changed: SettingsChange = {}) {
    this.runId = runId
    this.#recorder = recorder
    this.#services = services
    this.#recovery = { ...DEFAULT_RECOVERY, ...services.recovery }
    this.#settings = settings
    this.#steeringSupported = PROVIDERS[services.provider.name].steering
    this.#dataDir = dataDir
    this.changed = changed
    this.#transport = this.#createTransport(settings.transport)
    this.#executor = new ToolExecutor(recorder, services.tools, services.gate)
    this.#compactionMethod = services.compaction ?? (PROVIDERS[services.provider.name].serverCompaction ? 'server' : 'summary')
  }

  /** Starts a new run in `workspace` with the person's task and choices; `worktree` when the workspace is a worktree made for it. */
  static async start(
    dataDir: DataDir,
    workspace: string,
    task: string,
    services: DriverServices,
    choices: RunChoices,
    worktree?: { runId: string; info: WorktreeInfo }
  ): Promise<RunDriver> {
    const root = await realpath(workspace)
    await mkdir(dataDir.runs, { recursive: true })
    const runId = worktree?.runId ?? newRunId()
    // Read once, at the start: the run keeps the instructions it began with, across resumes.
    const projectInstructions = await loadInstructionFiles({ workspace: root, dataDir: dataDir.root })
    const writer = await RunLogWriter.create(dataDir.runLog(runId))
    const recorder = new RunRecorder(writer, initialRunState)
    const { model, ...chosen } = choices
    const settings: RunSettings = {
      ...chosen,
      instructions: composeInstructions(chosen.instructions, projectInstructions),
      instructionFiles: projectInstructions.files,
      ...(services.mcp ? { mcp: services.mcp } : {}),
      contextWindow: services.contextWindow ?? modelEntry(services.providerLabel ?? services.provider.name, model)?.contextWindow ?? null
    }
    // One sync makes both the run and its task durable.
    recorder.record({
      type: 'run.started',
      runId,
      workspace: root,
      ...(worktree ? { worktree: worktree.info } : {}),
      provider: { name: services.providerLabel ?? services.provider.name, baseUrl: services.provider.baseUrl },
      model,
      settings,
      tools: services.tools.registry.definitions(),
      toolViews: services.tools.registry.views()
    })
    await recorder.recordDurable({ type: 'user.input', kind: 'task', text: task })
    return new RunDriver(runId, recorder, services, settings, dataDir)
  }

  /**
   * Reopens a run from its log (repairing a torn tail) to continue it with the settings it was
   * recorded with, except what the person changes now (`changes`); what differs is recorded with
   * the resume and is in the driver's `changed`.
   */
  static async resume(dataDir: DataDir, runId: string, services: DriverServices, reason: string, changes: SettingsChange = {}): Promise<RunDriver> {
    let opened
    try {
      opened = await RunLogWriter.openExisting(dataDir.runLog(runId))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new RunNotFoundError(`no run ${runId} in ${dataDir.runs}`)
      throw error
    }
    const state = foldRecords(opened.records)
    if (state.runId === null || state.settings === null || state.workspace === null) {
      await opened.writer.close()
      throw new RunNotFoundError(`${dataDir.runLog(runId)} does not start with run.started`)
    }
    const changed = changedSettings(state.settings, state.model, changes)
    const recorder = new RunRecorder(opened.writer, state)
    await recorder.recordDurable({ type: 'run.resumed', reason, ...(Object.keys(changed).length > 0 ? { changed } : {}), ...(shellWasUsed(state) ? { freshShell: true } : {}) })
    const settings = recorder.state.settings ?? state.settings
    return new RunDriver(runId, recorder, services, settings, dataDir, changed)
  }

  /** The state of a run as its log has it, without opening it for writing. */
  static async peek(dataDir: DataDir, runId: string): Promise<RunState> {
    try {
      return foldRecords((await readRunLog(dataDir.runLog(runId))).records)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new RunNotFoundError(`no run ${runId} in ${dataDir.runs}`)
      throw error
    }
  }

  /** The live state, for reading now (it changes in place as records arrive): `snapshot()` to keep one. */
  get state(): RunState {
    return this.#recorder.state
  }

  /** The state as of now, never to change: for handing out. */
  snapshot(): RunState {
    return this.#recorder.snapshot()
  }

  get logPath(): string {
    return this.#recorder.path
  }

  subscribe(listener: RecordListener): () => void {
    return this.#recorder.subscribe(listener)
  }

  /** Runs until the model is done, the run fails, or the person interrupts. */
  async run(): Promise<RunOutcome> {
    if (this.#running) throw new Error('run() is already running')
    this.#running = true
    this.#abort = new AbortController()
    try {
      return await this.#loop()
    } finally {
      this.#running = false
    }
  }

  /** Mid-run input: steers the active response where the server allows it, else waits for the next turn. */
  async steer(text: string): Promise<void> {
    await this.#recorder.recordDurable({ type: 'user.input', kind: 'steer', text })
    const responseId = this.#activeResponseId()
    if (this.#steeringSupported && !this.#turnCompacts && responseId !== null) this.#transport.steer(responseId, text)
  }

  /** A new message after the run ended: the same run continues with it. */
  async followUp(text: string): Promise<void> {
    if (this.#running) throw new Error('the run is still going; steer it instead')
    const freshShell = !this.#toolsOpen && shellWasUsed(this.state)
    // Both records share one sync.
    const resumed = this.#recorder.recordDurable({ type: 'run.resumed', reason: 'a follow-up message', ...(freshShell ? { freshShell: true } : {}) })
    await this.#recorder.recordDurable({ type: 'user.input', kind: 'task', text })
    await resumed
  }

  async interrupt(): Promise<void> {
    if (this.#abort.signal.aborted) return
    await this.#recorder.recordDurable({ type: 'user.input', kind: 'interrupt', text: '' })
    this.#abort.abort()
  }

  /** The run's checkpoints while this driver keeps them (from its first run() on). */
  async checkpoints(): Promise<WorkspaceCheckpoints | null> {
    await this.#checkpointsOpening
    return this.#checkpoints
  }

  /** Appends a record made outside the loop (a rewind): the live state and subscribers see it. */
  async recordDurable(body: Parameters<RunRecorder['recordDurable']>[0]): Promise<void> {
    await this.#recorder.recordDurable(body)
  }

  /** Closes the connection and the run's tool state; the log stays. */
  async close(): Promise<void> {
    this.#closing.abort()
    this.#transport.close('closing')
    this.#services.gate.closeRun?.(this.runId)
    this.#toolsOpen = false
    await this.#checkpointsOpening
    await this.#checkpoints?.close()
    await this.#services.tools.closeRun(this.runId)
    await this.#recorder.close()
  }

  /** One full read of the workspace when the driver first runs; then only what changed. */
  async #openCheckpoints(): Promise<void> {
    if (this.#services.checkpoints === false) return
    const workspace = this.state.workspace
    if (!workspace) return
    try {
      // A run's own worktree is opened by no later run: what it finds is not kept for one.
      this.#checkpoints = await WorkspaceCheckpoints.open(new SnapshotStore(this.#dataDir.snapshots), this.runId, workspace, { reuseFound: this.state.worktree === null })
    } catch (error) {
      this.#checkpointsUnavailable = (error as Error).message
    }
  }

  #executorContext(): ExecutorContext {
    return {
      runId: this.runId,
      workspace: this.state.workspace ?? '',
      settings: this.#settings,
      sandboxed: !this.#services.unsandboxed,
      signal: this.#abort.signal,
      closed: this.#closing.signal,
      emittedAt: (callId) => this.#emittedAt.get(callId) ?? performance.now(),
      checkpoints: this.#callCheckpoints(),
      firstRead: this.#checkpointsOpening ?? Promise.resolve()
    }
  }

  /** The first read of the workspace may still be under way: a checkpoint waits for it. */
  #callCheckpoints(): CallCheckpoints | null {
    if (this.#services.checkpoints === false || !this.state.workspace) return null
    return {
      checkpoint: async (phase, callId, tool) => {
        await this.#checkpointsOpening
        if (this.#checkpoints) return this.#checkpoints.checkpoint(phase, callId, tool)
        throw new Error(this.#checkpointsUnavailable ?? 'the workspace could not be read')
      }
    }
  }

  async #loop(): Promise<RunOutcome> {
    // The connection opens while the sandbox starts: neither needs the other, so the handshake
    // (a TLS round trip or more) no longer stands before the first request.
    if (nextStep(this.state).kind !== 'done') {
      this.#connecting = this.#ensureConnection()
      // A failure surfaces where the first request awaits it, not as an unhandled rejection before.
      this.#connecting.catch(() => undefined)
    }
    try {
      await this.#services.tools.openRun({
        runId: this.runId,
        workspace: this.state.workspace ?? '',
        artifactsDir: this.#dataDir.artifacts(this.runId),
        networkAllowlist: this.#settings.networkAllowlist,
        unsandboxed: this.#services.unsandboxed
      })
      this.#toolsOpen = true
    } catch (error) {
      this.#throwIfClosed()
      // Fail closed: without the sandbox nothing runs, and the run says why.
      return this.#finish('failed', `the tool sandbox cannot start: ${(error as Error).message}`)
    }
    if (this.#closing.signal.aborted) {
      // Closed while the sandbox started (the host is stopping): the shell it opened goes too.
      this.#toolsOpen = false
      await this.#services.tools.closeRun(this.runId)
      this.#throwIfClosed()
    }
    await this.#executor.settleInterrupted()
    this.#throwIfClosed()
    // A large repository is read while the model answers and while Tether's own reads run; a call
    // that can run the repository's programs waits for it (see tool-executor.ts). A run taken up
    // again (a follow-up) reuses the read, even one still under way.
    this.#checkpointsOpening ??= this.#openCheckpoints()
    for (;;) {
      this.#throwIfClosed()
      if (this.#abort.signal.aborted) return this.#finish('interrupted', 'interrupted by the person')
      const step = nextStep(this.state)
      switch (step.kind) {
        case 'done':
          return this.#finish(step.outcome, null)
        case 'run_tools':
          await this.#executor.runCalls(step.callIds, this.#executorContext())
          break
        case 'send': {
          await this.#executor.cancelEarly()
          await this.#compactIfDue()
          const recovery = await this.#sendTurn()
          if (recovery === null) break
          if (recovery.kind === 'fail') return this.#finish('failed', recovery.reason)
          await sleep(recovery.delayMs, AbortSignal.any([this.#abort.signal, this.#closing.signal]))
          break
        }
        default:
          assertNever(step, 'next step')
      }
    }
  }

  /** Sends one request and reads it to its end. Returns null on success, else what to do. */
  async #sendTurn(): Promise<Recovery | null> {
    const refused = await this.#connectForRequest()
    if (refused) return this.#recover(refused, false, this.state.turns.length + 1)
    // Interrupted while the connection opened: the request is not sent at all.
    if (this.#abort.signal.aborted) return this.#recover({ kind: 'aborted' }, false, this.state.turns.length + 1)
    const state = this.state
    const held = this.#held
    // Without storage, only the connection that produced a response still holds it.
    const reuse = held !== null && (this.#settings.store || (held.connectionId !== null && held.connectionId === this.#transport.connectionId))
    const request = buildRequest(state, this.#requestSettings(state), reuse ? held.responseId : null)
    const compactNext = this.#compactNext
    this.#compactNext = null
    this.#turnCompacts = compactNext !== null
    if (compactNext !== null) request.body.context_management = [{ type: 'compaction', compact_threshold: this.#compactThreshold(compactNext.tokens) }]
    const turn = state.turns.length + 1
    const sentAt = performance.now()
    let firstEventAt: number | null = null
    const sent = this.#transport.send({
      body: request.body,
      signal: this.#abort.signal,
      onFrame: (frame) => {
        firstEventAt ??= performance.now()
        this.#onFrame(frame)
        const responseIndex = this.state.cursor.responseIndex
        if (frame.kind === 'event' && frame.event.type === 'response.output_item.done' && frame.event.item.type === 'function_call' && responseIndex !== null) {
          this.#executor.offerEarly(responseIndex, this.#executorContext())
        }
      }
    })
    this.#recorder.record({
      type: 'request.sent',
      turn,
      transport: this.#transport.kind,
      mode: request.mode,
      previousResponseId: request.previousResponseId,
      input: request.input,
      bytes: sent.bytes
    })
    this.#recordToolMetrics(request.input, sentAt)
    const end = await sent.ended
    this.#turnCompacts = false
    if (compactNext !== null) this.#noteServerCompaction(end, compactNext)
    const endedAt = performance.now()
    this.#recorder.record({
      type: 'metrics.turn',
      turn,
      transport: this.#transport.kind,
      mode: request.mode,
      bytesSent: sent.bytes,
      firstEventMs: firstEventAt === null ? null : firstEventAt - sentAt,
      durationMs: endedAt - sentAt
    })
    if (end.kind === 'refused') {
      const retryable = (end.status === 426 && this.#transport.kind === 'ws') || errorClassOf(end).retry !== 'never'
      this.#recorder.record({ type: 'request.failed', turn, status: end.status, code: end.code, message: end.message, retryable })
    }
    return this.#recover(end, request.mode === 'incremental', turn)
  }

  /** Connects for a request, taking over the connection opened at the start of `run()` if there is one. */
  async #connectForRequest(): Promise<TurnEnd | null> {
    const opened = this.#connecting
    this.#connecting = null
    // One opened at the start is checked again: it may have been lost, or grown old while calls ran.
    const refused = (opened === null ? null : await opened) ?? (await this.#ensureConnection())
    // Closed while connecting: nothing goes out, and no socket outlives the driver.
    if (this.#closing.signal.aborted) this.#transport.close('closing')
    this.#throwIfClosed()
    return refused
  }

  #throwIfClosed(): void {
    if (this.#closing.signal.aborted) throw new Error('the run was closed')
  }

  async #ensureConnection(): Promise<TurnEnd | null> {
    this.#throwIfClosed()
    const transport = this.#transport
    const connectedAt = transport.connectedAt
    if (transport.kind === 'ws' && connectedAt !== null && performance.now() - connectedAt >= this.#recovery.rotateAfterMs) {
      transport.close('rotating before the connection age limit')
      this.#recordTransport('rotated', 'the connection reached its planned age')
    }
    if (transport.kind === 'ws' && transport.connectionId !== null) return null
    if (transport.kind === 'sse' && this.state.transport.state === 'connected' && this.state.transport.transport === 'sse') return null
    this.#recordTransport('connecting', null)
    const refused = await transport.connect()
    if (!refused) {
      this.#recordTransport('connected', null)
      this.#held = this.#settings.store ? this.#held : null
    }
    return refused
  }

  #onFrame(frame: InboundFrame): void {
    if (frame.kind === 'malformed') {
      this.#recorder.record({ type: 'server.malformed', error: frame.error })
      return
    }
    this.#notice(frame.event)
    this.#recorder.record({ type: 'server.event', event: withoutRequestEcho(frame.event) })
  }

  #notice(event: ServerEvent): void {
    if (event.type === 'response.output_item.done' && event.item.type === 'function_call') {
      this.#emittedAt.set(event.item.call_id, performance.now())
    }
    // The model cannot be steered: later input waits for the next turn without trying.
    if (event.type === 'response.steer.failed' && event.error.code === 'steering_not_supported') this.#steeringSupported = false
  }

  /** Decides what an ended turn means: carry on, retry (and how), or give up. */
  #recover(end: TurnEnd, wasIncremental: boolean, turn: number): Recovery | null {
    switch (end.kind) {
      case 'terminal': {
        const response = end.event.response
        if (end.event.type !== 'response.failed') {
          this.#held = { connectionId: this.#transport.connectionId, responseId: response.id }
          this.#failures = 0
          this.#wsFailures = 0
          this.#compactedForRefusal = false
          return null
        }
        this.#held = null
        const error = response.error
        return this.#onError({ status: null, code: error?.code ?? null, message: error?.message ?? 'the response failed without a reason', headers: null }, wasIncremental, turn)
      }
      case 'error':
        this.#held = null
        return this.#onError(end.error, wasIncremental, turn)
      case 'dropped':
        this.#held = this.#settings.store ? this.#held : null
        return this.#onDrop(end.reason)
      case 'refused': {
        const upgrade = this.#transport.kind === 'ws'
        if (upgrade && end.status === 426) {
          this.#fallBack(`the server refused the WebSocket upgrade (426)`)
          return { kind: 'retry', delayMs: 0 }
        }
        // A server without WebSocket mode may refuse the upgrade with any 4xx: that counts toward falling back.
        const retry = errorClassOf(end).retry
        if (upgrade && (retry === 'never' || retry === 'resend_full') && !isPermanentForAccount(end)) return this.#onDrop(end.message)
        return this.#onError(end, wasIncremental, turn)
      }
      case 'aborted':
        this.#transport.close('interrupted')
        return null
      default:
        return assertNever(end, 'turn end')
    }
  }

  /** One error class table decides for every transport and shape (see common/providers/error-classes). */
  #onError(facts: ErrorFacts & { headers: Record<string, string> | null }, wasIncremental: boolean, turn: number): Recovery {
    const errorClass = errorClassOf(facts)
    if (errorClass.name === 'context_too_long') return this.#compactForRefusal(facts.message)
    const hints = retryHintsOf(facts.headers, Date.now())
    // Whatever failed, the next request does not lean on the previous response (a failed
    // continuation evicts it), so an immediate retry is a full resend and cannot loop.
    this.#held = null
    switch (errorClass.retry) {
      case 'resend_full':
        return wasIncremental ? { kind: 'retry', delayMs: 0 } : { kind: 'fail', reason: describeError(facts) }
      case 'reconnect':
        this.#transport.close('connection limit reached')
        this.#recordTransport('rotated', facts.message)
        return { kind: 'retry', delayMs: 0 }
      case 'never':
        // `x-should-retry: true` can only turn a generic rejection into a retry, never a refused key or quota.
        if (hints.shouldRetry === true && errorClass.name === 'invalid_request') return this.#retryLater(errorClass.name, facts, hints.delayMs, turn)
        // A failed continuation evicts the previous response; the whole transcript may still be accepted.
        if (wasIncremental && errorClass.name === 'invalid_request') return { kind: 'retry', delayMs: 0 }
        return { kind: 'fail', reason: describeError(facts) }
      case 'backoff':
        if (hints.shouldRetry === false) return { kind: 'fail', reason: `${describeError(facts)} (the server says not to retry)` }
        return this.#retryLater(errorClass.name, facts, hints.delayMs, turn)
      default:
        return assertNever(errorClass.retry, 'retry kind')
    }
  }

  /** Backs off (for as long as the server asked, if it did) and records the wait for the banner. */
  #retryLater(errorClass: RetryScheduledRecord['errorClass'], facts: ErrorFacts, serverDelayMs: number | null, turn: number): Recovery {
    this.#failures += 1
    const { maxAttempts, maxServerDelayMs } = this.#recovery
    if (this.#failures > maxAttempts) return { kind: 'fail', reason: `gave up after ${this.#failures - 1} retries: ${describeError(facts)}` }
    if (serverDelayMs !== null && serverDelayMs > maxServerDelayMs) {
      return { kind: 'fail', reason: `${describeError(facts)}: the server asks to wait ${Math.ceil(serverDelayMs / 1000)} s; resume the run later` }
    }
    const delayMs = serverDelayMs ?? backoffDelayMs(this.#recovery.backoff, this.#failures - 1)
    this.#recorder.record({
      type: 'retry.scheduled',
      turn,
      errorClass,
      code: facts.code,
      message: facts.message,
      delayMs,
      serverDelay: serverDelayMs !== null,
      attempt: this.#failures,
      maxAttempts
    })
    return { kind: 'retry', delayMs }
  }

  #requestSettings(state: RunState): RequestSettings {
    return {
      model: state.model ?? '',
      instructions: this.#settings.instructions,
      tools: state.tools,
      store: this.#settings.store,
      reasoning: this.#settings.reasoning ?? null,
      continuation: PROVIDERS[this.#services.provider.name].continuation
    }
  }

  /** The server refused the context as too long: compact once and send again, or give up. */
  #compactForRefusal(message: string): Recovery {
    if (this.#compactionMethod === 'off' || this.#compactedForRefusal) return { kind: 'fail', reason: `the context does not fit the model's window: ${message}` }
    this.#compactedForRefusal = true
    this.#compactNext = { tokens: contextTokens(this.state) ?? 0, reason: 'the server refused the context as longer than the model\'s window' }
    return { kind: 'retry', delayMs: 0 }
  }

  /** Before a request: compact when the context nears the window (or the server refused it). */
  async #compactIfDue(): Promise<void> {
    if (this.#compactionMethod === 'off') return
    const window = this.#settings.contextWindow ?? null
    const due = this.#compactNext ?? this.#dueNow(window)
    if (due === null) return
    if (this.#compactionMethod === 'server') {
      this.#compactNext = due
      return
    }
    this.#compactNext = null
    await this.#summarise(due)
  }

  #dueNow(window: number | null): { tokens: number; reason: string } | null {
    const tokens = compactionDue(this.state, window)
    if (tokens === null || window === null) return null
    return { tokens, reason: `the context reached ${Math.round((tokens / window) * 100)}% of the model's ${window.toLocaleString('en-US')}-token window` }
  }

  /** Below the size the next request will have at least, so the server compacts this very turn. */
  #compactThreshold(tokens: number): number {
    const window = this.#settings.contextWindow ?? null
    return Math.max(1, Math.floor(Math.min(window === null ? Infinity : window * COMPACTION_TRIGGER_RATIO, tokens * 0.9)))
  }

  /** A response that carried a compaction item: record where the compacted context starts. */
  #noteServerCompaction(end: TurnEnd, due: { tokens: number; reason: string }): void {
    if (end.kind !== 'terminal' || end.event.type === 'response.failed') return
    const responseIndex = this.state.responseIndexById[end.event.response.id]
    const at = responseIndex === undefined ? null : compactionItemIndex(this.state, responseIndex)
    if (at === null) return
    this.#recorder.record({
      type: 'context.compacted',
      method: 'server',
      throughTimeline: at,
      replacement: [],
      tokensBefore: due.tokens,
      tokensAfter: end.event.response.usage?.input_tokens ?? null,
      usage: null,
      reason: due.reason
    })
  }

  /** A summarising request of Tether's own; its summary replaces the conversation before the last answer. */
  async #summarise(due: { tokens: number; reason: string }): Promise<boolean> {
    const state = this.state
    const boundary = summaryBoundary(state)
    if (boundary === null) return false
    if (await this.#connectForRequest()) return false
    const request = buildRequest(state, this.#requestSettings(state), null)
    let streamed = ''
    const sent = this.#transport.send({
      body: { ...request.body, input: summaryInput(state, boundary), tool_choice: 'none' },
      signal: this.#abort.signal,
      onFrame: (frame) => {
        if (frame.kind === 'event' && frame.event.type === 'response.output_text.delta') streamed += frame.event.delta
      }
    })
    const end = await sent.ended
    if (end.kind !== 'terminal' || end.event.type !== 'response.completed') {
      if (end.kind === 'dropped') this.#held = null
      return false
    }
    const written = end.event.response.output.flatMap((item) => (item.type === 'message' ? item.content.flatMap((part) => (part.type === 'output_text' ? [part.text] : [])) : [])).join('')
    const summary = written.length > 0 ? written : streamed
    if (summary.trim().length === 0) return false
    const replacement = summaryReplacement(summary)
    const after = { ...state, compactions: [...state.compactions, { method: 'summary' as const, throughTimeline: boundary, replacement, tokensBefore: due.tokens, tokensAfter: null, usage: null, reason: due.reason, at: 0 }] }
    this.#recorder.record({
      type: 'context.compacted',
      method: 'summary',
      throughTimeline: boundary,
      replacement,
      tokensBefore: due.tokens,
      tokensAfter: estimateContextTokens(after),
      usage: end.event.response.usage ?? null,
      reason: due.reason
    })
    // The server's chain still holds the long context: the next request starts afresh.
    this.#held = null
    return true
  }

  #onDrop(reason: string): Recovery {
    if (this.#transport.kind === 'ws') {
      this.#wsFailures += 1
      if (this.#wsFailures >= this.#recovery.wsFailuresBeforeFallback) {
        this.#fallBack(`${this.#wsFailures} WebSocket failures in a row (last: ${reason})`)
        return { kind: 'retry', delayMs: 0 }
      }
    }
    const recovery = this.#retryOrFail(reason)
    if (recovery.kind === 'retry') {
      this.#recorder.record({
        type: 'transport.changed',
        state: 'reconnecting',
        transport: this.#transport.kind,
        attempt: this.#failures,
        maxAttempts: this.#recovery.maxAttempts,
        reason
      })
    }
    return recovery
  }

  #retryOrFail(reason: string): Recovery {
    this.#failures += 1
    if (this.#failures > this.#recovery.maxAttempts) return { kind: 'fail', reason: `gave up after ${this.#failures - 1} retries: ${reason}` }
    return { kind: 'retry', delayMs: backoffDelayMs(this.#recovery.backoff, this.#failures - 1) }
  }

  #fallBack(reason: string): void {
    this.#transport.close('falling back to HTTP')
    this.#transport = this.#createTransport('sse')
    this.#held = this.#settings.store ? this.#held : null
    this.#recorder.record({ type: 'transport.changed', state: 'fell_back', transport: 'sse', attempt: null, maxAttempts: null, reason })
  }

  #recordTransport(state: 'connecting' | 'connected' | 'rotated', reason: string | null): void {
    const reconnecting = this.state.transport.state === 'reconnecting'
    this.#recorder.record({
      type: 'transport.changed',
      state,
      transport: this.#transport.kind,
      attempt: reconnecting ? this.#failures : null,
      maxAttempts: reconnecting ? this.#recovery.maxAttempts : null,
      reason
    })
  }

  #recordToolMetrics(input: InputItem[], sentAt: number): void {
    for (const item of input) {
      const callId = item.type === 'function_call_output' && 'call_id' in item ? item.call_id : null
      if (typeof callId === 'string') this.#recordToolTiming(callId, sentAt)
    }
  }

  /** One `metrics.tool` per call, once its output was sent (or the run ended without sending it). */
  #recordToolTiming(callId: string, sentAt: number | null): void {
    const timing = this.#executor.timings.get(callId)
    if (!timing) return
    this.#executor.timings.delete(callId)
    this.#recorder.record({
      type: 'metrics.tool',
      callId,
      startedAfterMs: timing.startedAt - timing.emittedAt,
      finishedAfterMs: timing.finishedAt - timing.emittedAt,
      outputSentAfterMs: sentAt === null ? null : sentAt - timing.emittedAt,
      approvalWaitMs: timing.approvalWaitMs,
      hostWaitMs: timing.hostWaitMs,
      runMs: timing.runMs
    })
  }

  #activeResponseId(): string | null {
    const index = this.state.cursor.responseIndex
    const response = index === null ? undefined : this.state.responses[index]
    return response && (response.status === 'in_progress' || response.status === 'queued') ? response.id : null
  }

  #createTransport(kind: Transport): ModelTransport {
    const onStray = (frame: InboundFrame): void => this.#onFrame(frame)
    return kind === 'ws'
      ? new WsTransport(this.#services.provider, this.#services.ws, onStray)
      : new SseTransport(this.#services.provider, this.#services.sse)
  }

  async #finish(outcome: RunOutcome, reason: string | null): Promise<RunOutcome> {
    // The last call's checkpoint is in the log before the run's end.
    await this.#executor.settled()
    for (const callId of [...this.#executor.timings.keys()]) this.#recordToolTiming(callId, null)
    this.#transport.close('run finished')
    // Closing cut a handshake still under way: it records nothing after the run's end. A connect
    // that failed outright (a malformed address or key) does not keep the run from ending.
    await this.#connecting?.catch(() => null)
    this.#connecting = null
    const meter = contextMeterOf(this.state)
    this.#recorder.record({
      type: 'metrics.usage',
      contextTokens: meter.usedTokens,
      cachedTokens: meter.cachedTokens,
      windowTokens: meter.windowTokens,
      inputTokens: meter.inputTokens,
      outputTokens: meter.outputTokens,
      costUsd: meter.costUsd
    })
    await this.#recorder.recordDurable({ type: 'run.finished', outcome, reason })
    return outcome
  }
}

