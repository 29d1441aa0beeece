// Runs one script per fresh isolate, with memory, CPU and wall-time quotas. The next isolate is
// prepared while the runner is idle, so a call does not wait for V8 to build one. The isolate
// sees host functions only as callbacks that take and return copies; no Reference ever enters it.
import ivm from 'isolated-vm'
import { writeSync } from 'node:fs'
import { FileToolError } from '../files/path-policy'
import { RipgrepError } from '../files/ripgrep'
import { WorkspaceFiles } from '../files/workspace-files'
import { BOOTSTRAP_SOURCE } from './isolate-bootstrap'
import type { ScriptEnd, ScriptJob, ScriptLog, ScriptReport } from './script-protocol'

const WATCHDOG_INTERVAL_MS = 10
const SCRIPT_READ_LIMIT = 8 * 1024 * 1024

interface JobState {
  job: ScriptJob
  files: WorkspaceFiles
  logs: ScriptLog[]
  logChars: number
  droppedLogChars: number
  stopReason: 'cpu' | 'wall' | 'cancelled' | null
}

interface PreparedIsolate {
  isolate: ivm.Isolate
  entry: ivm.Reference<(code: string, resultChars: number) => Promise<unknown>>
}

type Answer = { value: unknown } | { error: string }

function hostError(error: unknown): { error: string } {
  if (error instanceof FileToolError || error instanceof RipgrepError) return { error: error.message }
  return { error: `host error: ${(error as Error)?.message ?? String(error)}` }
}

/** The entry point's answer comes from inside the isolate: check its shape before believing it. */
function checkedEnd(value: unknown, state: JobState): ScriptEnd {
  const answer = value as Partial<Record<string, unknown>> | null
  if (typeof answer?.droppedLogChars === 'number' && answer.droppedLogChars > 0) state.droppedLogChars += answer.droppedLogChars
  if (answer?.kind === 'returned' && typeof answer.result === 'string' && typeof answer.resultChars === 'number' && typeof answer.truncated === 'boolean') {
    return { kind: 'returned', result: answer.result, resultChars: answer.resultChars, truncated: answer.truncated }
  }
  if (answer?.kind === 'threw' && typeof answer.error === 'string') return { kind: 'threw', error: answer.error.slice(0, 8192) }
  return { kind: 'threw', error: 'the script replaced the runtime\'s own functions; no result could be read' }
}

export class IsolateRunner {
  private readonly memoryMb: number
  private prepared: Promise<PreparedIsolate> | null = null
  private current: JobState | null = null
  private running: PreparedIsolate | null = null

  constructor(memoryMb: number) {
    this.memoryMb = memoryMb
  }

  /** Builds the next isolate ahead of time. */
  prepare(): void {
    this.prepared ??= this.create()
    this.prepared.catch(() => {
      this.prepared = null
    })
  }

  cancel(jobId: number): void {
    if (this.current?.job.jobId !== jobId) return
    this.stop('cancelled')
  }

  /** Runs one job; `cancelled` also stops a job whose cancel came while its isolate was being readied. */
  async run(job: ScriptJob, cancelled?: AbortSignal): Promise<ScriptReport> {
    const prepared = job.limits.memoryMb === this.memoryMb && this.prepared !== null ? this.prepared : this.create(job.limits.memoryMb)
    this.prepared = null
    const state: JobState = {
      job,
      files: new WorkspaceFiles({ workspace: job.workspace, readOnly: [], hidden: job.hiddenPaths }, { ripgrepPath: job.ripgrepPath }),
      logs: [],
      logChars: 0,
      droppedLogChars: 0,
      stopReason: null
    }
    const started = performance.now()
    let isolate: PreparedIsolate
    try {
      isolate = await prepared
    } catch (error) {
      this.prepare()
      return { end: { kind: 'threw', error: `could not create an isolate: ${(error as Error).message}` }, logs: [], droppedLogChars: 0, cpuMs: 0, wallMs: performance.now() - started }
    }
    if (cancelled?.aborted) {
      // Cancelled while the isolate was readied: it is dropped unused.
      this.replaceAfterAnswer(isolate)
      return { end: { kind: 'cancelled' }, logs: [], droppedLogChars: 0, cpuMs: 0, wallMs: performance.now() - started }
    }
    this.current = state
    this.running = isolate
    const cpuStart = isolate.isolate.cpuTime
    const cpuLimit = BigInt(job.limits.cpuMs) * 1_000_000n
    let cpuUsed = 0n
    const watchdog = setInterval(() => {
      if (isolate.isolate.isDisposed) return
      cpuUsed = isolate.isolate.cpuTime - cpuStart
      if (cpuUsed > cpuLimit) this.stop('cpu')
    }, WATCHDOG_INTERVAL_MS)
    const wallTimer = setTimeout(() => this.stop('wall'), job.limits.wallMs)
    let end: ScriptEnd
    try {
      const answer = await isolate.entry.apply(undefined, [job.code, job.limits.resultChars], {
        arguments: { copy: true },
        result: { promise: true, copy: true },
        timeout: job.limits.wallMs
      })
      end = checkedEnd(answer, state)
    } catch (error) {
      end = this.failure(state, error as Error)
    } finally {
      clearInterval(watchdog)
      clearTimeout(wallTimer)
      if (!isolate.isolate.isDisposed) cpuUsed = isolate.isolate.cpuTime - cpuStart
      this.current = null
      this.running = null
    }
    this.replaceAfterAnswer(isolate)
    return { end, logs: state.logs, droppedLogChars: state.droppedLogChars, cpuMs: Number(cpuUsed / 1000n) / 1000, wallMs: performance.now() - started }
  }

  /** Answer first: dropping a used isolate and building the next one happen while the answer travels. */
  private replaceAfterAnswer(isolate: PreparedIsolate): void {
    setImmediate(() => {
      if (!isolate.isolate.isDisposed) isolate.isolate.dispose()
      this.prepare()
    })
  }

  private stop(reason: NonNullable<JobState['stopReason']>): void {
    const state = this.current
    const running = this.running
    if (state === null || running === null || state.stopReason !== null) return
    state.stopReason = reason
    if (!running.isolate.isDisposed) running.isolate.dispose()
  }

  private failure(state: JobState, error: Error): ScriptEnd {
    if (state.stopReason === 'cancelled') return { kind: 'cancelled' }
    if (state.stopReason !== null) return { kind: 'quota', quota: state.stopReason }
    const message = error?.message ?? String(error)
    if (/memory limit/i.test(message)) return { kind: 'quota', quota: 'memory' }
    if (/timed out/i.test(message)) return { kind: 'quota', quota: 'wall' }
    return { kind: 'threw', error: message }
  }

  private async create(memoryMb = this.memoryMb): Promise<PreparedIsolate> {
    const isolate = new ivm.Isolate({
      memoryLimit: memoryMb,
      // V8 cannot recover from some out-of-memory states; the tool host restarts the runner.
      onCatastrophicError: (message: string) => {
        writeSync(2, `script runner: catastrophic V8 error: ${message}\n`)
        process.abort()
      }
    })
    const context = await isolate.createContext()
    const global = context.global
    await global.set('__tether_log', new ivm.Callback((level: unknown, text: unknown) => this.log(level, text)))
    await global.set('__tether_read', new ivm.Callback((path: unknown) => this.answer(() => this.files().readText(String(path), SCRIPT_READ_LIMIT))))
    await global.set('__tether_list', new ivm.Callback((path: unknown) => this.answer(() => this.files().list(String(path)))))
    await global.set(
      '__tether_search',
      new ivm.Callback((pattern: unknown, path: unknown) => this.answer(() => this.files().searchSync(String(pattern), path === null ? null : String(path)).matches))
    )
    await context.eval(BOOTSTRAP_SOURCE)
    const entry = (await global.get('__tether_run', { reference: true })) as PreparedIsolate['entry']
    await global.delete('__tether_run')
    return { isolate, entry }
  }

  private files(): WorkspaceFiles {
    if (this.current === null) throw new Error('no script is running')
    return this.current.files
  }

  private answer(work: () => unknown): Answer {
    try {
      return { value: work() }
    } catch (error) {
      return hostError(error)
    }
  }

  /** Returns whether there is room for more. */
  private log(level: unknown, text: unknown): boolean {
    const state = this.current
    if (state === null) return false
    const message = String(text)
    const room = state.job.limits.logChars - state.logChars
    if (room <= 0) {
      state.droppedLogChars += message.length
      return false
    }
    const kept = message.length > room ? message.slice(0, room) : message
    state.logs.push({ level: level === 'error' ? 'error' : 'log', text: kept })
    state.logChars += kept.length
    state.droppedLogChars += message.length - kept.length
    return state.logChars < state.job.limits.logChars
  }
}
