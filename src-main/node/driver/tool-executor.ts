// Runs the calls of one response: each is judged, maybe approved, then executed. The ledger in
// the run log makes this idempotent by call_id: for a call that can change anything (a shell
// command, a file write), `tool.started` is on disk before it runs, so nothing with an effect runs
// twice. Its `tool.finished` is synced the moment it is written, while the output goes to the
// model: nothing waits for that sync, because a power cut before it completes leaves the call
// started without an end, which resume already reports as an unknown outcome and never re-runs
// (the same as a power cut while the call ran). Calls of read-only tools (files, searches,
// scripts), and shell commands the policy knows to be read-only, are written in order and not
// synced on their own: losing them only means running a read again. Which is which is each tool's
// declared durability, which the policy's verdict may narrow for one call.
import { performance } from 'node:perf_hooks'
import type { RunSettings } from '../../common/run/records'
import type { ToolCallView } from '../../common/run/state'
import type { Preparation, PreparedCall } from '../tools/registry/define-tool'
import { coalesceText, type CoalescedText } from '../tools/output/coalesce-text'
import type { ToolRuntime } from '../tools/tool-runtime'
import type { RunRecorder } from './run-recorder'
import type { ToolGate } from './tool-gate'

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
  /** When the model emitted each call (monotonic ms), for latency metrics. */
  emittedAt: (callId: string) => number
}

/** Read-only calls and calls that cannot run change nothing: they may run side by side and need no write-ahead sync. */
function changesNothing(prepared: Preparation): boolean {
  return !prepared.ok || prepared.durability === 'read-only'
}

export class ToolExecutor {
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
      if (call?.status !== 'running') continue
      const durability = this.#tools.registry.get(call.name)?.durability ?? 'effectful'
      await this.#recorder.recordDurable(
        {
          type: 'tool.finished',
          callId,
          status: 'interrupted',
          exitCode: null,
          output: INTERRUPTED_OUTPUT,
          durationMs: 0,
          artifactPath: null
        },
        { durability }
      )
    }
  }

  /** Resolves once every call ran (or was refused) and its tool.finished is written. */
  async runCalls(callIds: string[], context: ExecutorContext): Promise<void> {
    const calls = callIds.flatMap((callId) => {
      const call = this.#recorder.state.toolCalls[callId]
      return call ? [{ call, prepared: this.#tools.registry.prepare(call.name, call.arguments) }] : []
    })
    if (calls.every(({ prepared }) => changesNothing(prepared))) {
      await Promise.all(calls.map(({ call, prepared }) => this.#runOne(call, prepared, context)))
      return
    }
    for (const { call, prepared } of calls) {
      if (context.signal.aborted) return
      await this.#runOne(call, prepared, context)
    }
  }

  async #runOne(call: ToolCallView, prepared: Preparation, context: ExecutorContext): Promise<void> {
    if (call.status === 'running') return
    // Nothing ran: the outcome is written in order and synced with the next durable record.
    const finish = (status: 'error' | 'denied' | 'interrupted', output: string): void => {
      this.#recorder.record({ type: 'tool.finished', callId: call.callId, status, exitCode: null, output, durationMs: 0, artifactPath: null })
    }
    if (!prepared.ok) {
      finish('error', `Invalid arguments for ${call.name}: ${prepared.message}`)
      return
    }
    const askedAt = performance.now()
    const decision = await this.#gate.authorize({
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
    })
    const approvalWaitMs = performance.now() - askedAt
    if (context.signal.aborted) {
      finish('interrupted', 'The person interrupted the run before this call ran.')
      return
    }
    if (!decision.allowed) {
      finish('denied', decision.message)
      return
    }
    // The policy may know that this call of an effectful tool changes nothing (a read-only command).
    const durability = decision.changesNothing === true ? 'read-only' : prepared.durability
    await this.#execute(call, { ...prepared, durability }, context, approvalWaitMs)
  }

  async #execute(call: ToolCallView, prepared: PreparedCall, context: ExecutorContext, approvalWaitMs: number): Promise<void> {
    const facts = { durability: prepared.durability }
    await this.#recorder.recordDurable({ type: 'tool.started', callId: call.callId, name: call.name, arguments: call.arguments }, facts)
    const startedAt = performance.now()
    const output = this.#outputRecorder(call.callId)
    const result = await this.#tools.execute(
      { runId: context.runId, callId: call.callId, call: prepared },
      { onOutput: output.push, signal: context.signal }
    )
    output.flush()
    // An effectful call's end starts a sync that nothing waits for; a next call's tool.started,
    // appended in the same turn, shares it.
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
