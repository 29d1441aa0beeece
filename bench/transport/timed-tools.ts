// One tool runtime for every client, measured the same way for all of them: what the tools cost
// (the sandbox opening and each call's run time as the tool host timed it) is taken out of the
// end-to-end time, and everything else the client spends is its overhead.
import { performance } from 'node:perf_hooks'
import type { ToolRegistry } from '../../src-main/node/tools/registry/tool-registry'
import type { RunToolContext, ToolCallObserver, ToolCallRequest, ToolCallResult, ToolRuntime } from '../../src-main/node/tools/tool-runtime'
import { busyTime } from './stats'

export interface RunToolTimes {
  calls: number
  /** Tool host time per call, merged where calls overlapped (wall time during which a tool ran). */
  toolMs: number
  /** Opening the run's sandbox (the shell in bubblewrap), paid once per run by every client. */
  setupMs: number
  /** Client-observed execute time minus tool host time: the round trip to the tool host. */
  hostRoundTripMs: number
  /** Calls that did not end `ok` (a scenario that needs a failing command shows here). */
  notOk: number
}

interface CallRecord {
  hostMs: number
  wallMs: number
  endAt: number
  ok: boolean
}

interface RunRecordings {
  setupMs: number
  calls: CallRecord[]
}

export class TimedToolRuntime implements ToolRuntime {
  readonly #inner: ToolRuntime
  readonly #runs = new Map<string, RunRecordings>()

  constructor(inner: ToolRuntime) {
    this.#inner = inner
  }

  get registry(): ToolRegistry {
    return this.#inner.registry
  }

  async openRun(context: RunToolContext): Promise<void> {
    const startedAt = performance.now()
    await this.#inner.openRun(context)
    const run = this.#recordings(context.runId)
    run.setupMs += performance.now() - startedAt
  }

  async execute(request: ToolCallRequest, observer?: ToolCallObserver): Promise<ToolCallResult> {
    const startedAt = performance.now()
    const result = await this.#inner.execute(request, observer)
    const endAt = performance.now()
    this.#recordings(request.runId).calls.push({ hostMs: result.durationMs, wallMs: endAt - startedAt, endAt, ok: result.status === 'ok' })
    return result
  }

  closeRun(runId: string): Promise<void> {
    return this.#inner.closeRun(runId)
  }

  close(): Promise<void> {
    return this.#inner.close()
  }

  /** The run's measurements; forgets them. */
  take(runId: string): RunToolTimes {
    const run = this.#recordings(runId)
    this.#runs.delete(runId)
    const hostMs = run.calls.reduce((sum, call) => sum + call.hostMs, 0)
    const wallMs = run.calls.reduce((sum, call) => sum + call.wallMs, 0)
    return {
      calls: run.calls.length,
      toolMs: busyTime(run.calls.map((call) => ({ start: call.endAt - call.hostMs, end: call.endAt }))),
      setupMs: run.setupMs,
      hostRoundTripMs: wallMs - hostMs,
      notOk: run.calls.filter((call) => !call.ok).length
    }
  }

  #recordings(runId: string): RunRecordings {
    let run = this.#runs.get(runId)
    if (!run) {
      run = { setupMs: 0, calls: [] }
      this.#runs.set(runId, run)
    }
    return run
  }
}
