// The tool host's side of the script runner: starts it (inside the sandbox: read-only
// workspace, no network, no credentials), hands it one job at a time, and when it dies - a V8
// abort on a memory bomb, a kill after a missed deadline - answers the job and starts a new one
// for the next call.
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { assertNever } from '../../../common/run/records'
import { resolveEntryPoint } from '../entry-point'
import type { HostRunConfig } from '../host/host-protocol'
import type { ToolOutcome } from '../host/tool-outcome'
import { existingRealPaths, splitDirectoriesAndFiles } from '../sandbox/existing-paths'
import { bwrapArgv } from '../sandbox/sandbox-spec'
import { unixSocketFilter } from '../sandbox/seccomp-filter'
import type { RunnerEvent, RunnerRequest, ScriptReport } from './script-protocol'
import { crashedScriptOutcome, scriptOutcome } from './script-report'

const START_TIMEOUT_MS = 20_000
/** How long after its own wall limit the runner gets before it is killed. */
const DEADLINE_GRACE_MS = 3_000
const CANCEL_GRACE_MS = 1_000
const STDERR_TAIL = 4096
/** The line the runner writes before aborting on a V8 catastrophe (see isolate-runner.ts). */
const CATASTROPHIC_PREFIX = 'script runner: catastrophic V8 error:'
/** Where the runner finds its seccomp program: the descriptor after stdin, stdout, stderr and the IPC channel. */
const SECCOMP_FD = 4

interface PendingJob {
  jobId: number
  resolve: (report: ScriptReport | { crashed: string }) => void
}

export class ScriptRunnerClient {
  private readonly run: HostRunConfig
  private child: ChildProcess | null = null
  private starting: Promise<ChildProcess> | null = null
  private pending: PendingJob | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private nextJobId = 1
  private stderrTail = ''

  constructor(run: HostRunConfig) {
    this.run = run
  }

  execute(code: string, signal?: AbortSignal): Promise<{ outcome: ToolOutcome; queuedMs: number }> {
    const queuedAt = performance.now()
    const result = this.queue.then(async () => ({ queuedMs: performance.now() - queuedAt, outcome: await this.runNow(code, signal) }))
    this.queue = result.catch(() => undefined)
    return result
  }

  async close(): Promise<void> {
    const child = this.child ?? (await this.starting?.catch(() => null)) ?? null
    this.child = null
    this.starting = null
    if (child !== null && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done))
      child.kill('SIGKILL')
      await exited
    }
  }

  private async runNow(code: string, signal?: AbortSignal): Promise<ToolOutcome> {
    const limits = this.run.limits.script
    if (signal?.aborted) return scriptOutcome({ end: { kind: 'cancelled' }, logs: [], droppedLogChars: 0, cpuMs: 0, wallMs: 0 }, limits)
    const started = performance.now()
    let child: ChildProcess
    try {
      child = await this.ensureStarted()
    } catch (error) {
      return { status: 'error', exitCode: null, output: `the script runner could not start: ${(error as Error).message}`, artifactPath: null }
    }
    const jobId = this.nextJobId++
    const answer = new Promise<ScriptReport | { crashed: string }>((resolve) => {
      this.pending = { jobId, resolve }
    })
    const deadline = setTimeout(() => child.kill('SIGKILL'), limits.wallMs + DEADLINE_GRACE_MS)
    let cancelTimer: NodeJS.Timeout | undefined
    const onAbort = (): void => {
      this.send(child, { type: 'cancel', jobId })
      cancelTimer = setTimeout(() => child.kill('SIGKILL'), CANCEL_GRACE_MS)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    this.send(child, {
      type: 'run',
      job: { jobId, code, workspace: this.run.workspace, hiddenPaths: this.run.hiddenPaths, ripgrepPath: this.run.tools.ripgrepPath, limits }
    })
    const report = await answer
    clearTimeout(deadline)
    clearTimeout(cancelTimer)
    signal?.removeEventListener('abort', onAbort)
    if (!('crashed' in report)) return scriptOutcome(report, limits)
    const wallMs = performance.now() - started
    if (signal?.aborted) return scriptOutcome({ end: { kind: 'cancelled' }, logs: [], droppedLogChars: 0, cpuMs: 0, wallMs }, limits)
    if (wallMs >= limits.wallMs) return scriptOutcome({ end: { kind: 'quota', quota: 'wall' }, logs: [], droppedLogChars: 0, cpuMs: 0, wallMs }, limits)
    return crashedScriptOutcome(report.crashed, limits, wallMs)
  }

  private send(child: ChildProcess, request: RunnerRequest): void {
    if (child.connected) child.send(request)
  }

  private ensureStarted(): Promise<ChildProcess> {
    if (this.child !== null) return Promise.resolve(this.child)
    this.starting ??= this.start().finally(() => {
      this.starting = null
    })
    return this.starting
  }

  private launch(): { file: string; args: string[]; filter: Buffer | null } {
    const entry = resolveEntryPoint('script-runner')
    const node = [process.execPath, '--no-node-snapshot', entry]
    if (this.run.unsandboxed) return { file: process.execPath, args: node.slice(1), filter: null }
    const hidden = splitDirectoriesAndFiles(this.run.hiddenPaths)
    const filter = unixSocketFilter()
    const args = bwrapArgv({
      seccompFd: filter === null ? null : SECCOMP_FD,
      uid: process.getuid?.() ?? 0,
      gid: process.getgid?.() ?? 0,
      cwd: this.run.workspace,
      command: node,
      mounts: {
        workspace: this.run.workspace,
        workspaceWritable: false,
        tempDir: null,
        controlDir: null,
        pinned: [],
        // The runner's own code and Node must stay visible even when they live under /tmp.
        readOnly: existingRealPaths([resolve(dirname(entry), '..', '..'), dirname(process.execPath)]),
        hiddenDirectories: hidden.directories,
        hiddenFiles: hidden.files
      }
    })
    return { file: this.run.tools.bwrapPath, args, filter }
  }

  /** What the runner said before it died: its own catastrophic-error line if there is one. */
  private lastWords(): string {
    const lines = this.stderrTail.split('\n').map((line) => line.trim()).filter((line) => line.length > 0)
    const own = lines.findLast((line) => line.includes(CATASTROPHIC_PREFIX))
    const chosen = own === undefined ? lines.at(-1) : own.slice(own.indexOf(CATASTROPHIC_PREFIX) + 'script runner: '.length)
    return chosen === undefined ? '' : `: ${chosen.slice(0, 300)}`
  }

  /** bwrap reads the seccomp program from an inherited descriptor. */
  private openFilter(filter: Buffer): number {
    const path = join(this.run.runDir, 'control', 'seccomp.bpf')
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, filter, { mode: 0o644 })
    return openSync(path, 'r')
  }

  private start(): Promise<ChildProcess> {
    const { file, args, filter } = this.launch()
    const filterFd = filter === null ? null : this.openFilter(filter)
    let child: ChildProcess
    try {
      child = spawn(file, args, {
        stdio: ['ignore', 'ignore', 'pipe', 'ipc', filterFd ?? 'ignore'],
        serialization: 'json',
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TETHER_SCRIPT_MEMORY_MB: String(this.run.limits.script.memoryMb) }
      })
    } finally {
      if (filterFd !== null) closeSync(filterFd)
    }
    this.stderrTail = ''
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL)
    })
    return new Promise<ChildProcess>((resolveStart, rejectStart) => {
      let ready = false
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        rejectStart(new Error(`it did not become ready within ${START_TIMEOUT_MS} ms`))
      }, START_TIMEOUT_MS)
      child.on('message', (event: RunnerEvent) => {
        switch (event.type) {
          case 'ready':
            ready = true
            clearTimeout(timer)
            this.child = child
            resolveStart(child)
            return
          case 'finished':
            if (this.pending?.jobId === event.jobId) {
              const pending = this.pending
              this.pending = null
              pending.resolve(event.report)
            }
            return
          default:
            assertNever(event, 'runner event')
        }
      })
      child.on('error', (error) => {
        clearTimeout(timer)
        if (!ready) rejectStart(error)
      })
      child.on('exit', (code, signal) => {
        clearTimeout(timer)
        if (this.child === child) this.child = null
        const description = `${signal !== null ? `signal ${signal}` : `exit code ${code}`}${this.lastWords()}`
        if (!ready) rejectStart(new Error(description))
        const pending = this.pending
        this.pending = null
        pending?.resolve({ crashed: description })
      })
    })
  }
}
