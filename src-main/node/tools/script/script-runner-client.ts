// The tool host's side of the script runner: starts it (inside the sandbox: read-only
// workspace, no network, no credentials), hands it one job at a time, and when it dies - a V8
// abort on a memory bomb, a kill after a missed deadline - answers the job and starts a new one
// for the next call.
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { ChildChannel, ChildExitedError, describeExit } from '../channel/child-channel'
import { resolveEntryPoint } from '../entry-point'
import type { HostRunConfig } from '../host/host-protocol'
import type { ToolOutcome } from '../host/tool-outcome'
import { existingRealPaths, splitDirectoriesAndFiles } from '../sandbox/existing-paths'
import { bwrapArgv } from '../sandbox/sandbox-spec'
import { commandFilter } from '../sandbox/seccomp-filter'
import type { ScriptChannel, ScriptReport } from './script-protocol'
import { crashedScriptOutcome, scriptOutcome } from './script-report'

const START_TIMEOUT_MS = 20_000
/** How long after its own wall limit the runner gets before it is killed. */
const DEADLINE_GRACE_MS = 3_000
const CANCEL_GRACE_MS = 1_000
/** The line the runner writes before aborting on a V8 catastrophe (see isolate-runner.ts). */
const CATASTROPHIC_PREFIX = 'script runner: catastrophic V8 error:'
/** Where the runner finds its seccomp program: the descriptor after stdin, stdout, stderr and the IPC channel. */
const SECCOMP_FD = 4

/** What the runner said before it died: its own catastrophic-error line if there is one. */
function lastWords(stderrTail: string): string {
  const lines = stderrTail.split('\n').map((line) => line.trim()).filter((line) => line.length > 0)
  const own = lines.findLast((line) => line.includes(CATASTROPHIC_PREFIX))
  const chosen = own === undefined ? lines.at(-1) : own.slice(own.indexOf(CATASTROPHIC_PREFIX) + 'script runner: '.length)
  return chosen === undefined ? '' : `: ${chosen.slice(0, 300)}`
}

export class ScriptRunnerClient {
  private readonly run: HostRunConfig
  private channel: ChildChannel<ScriptChannel> | null = null
  private starting: Promise<ChildChannel<ScriptChannel>> | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private nextJobId = 1

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
    const channel = this.channel ?? (await this.starting?.catch(() => null)) ?? null
    this.channel = null
    this.starting = null
    await channel?.close(0)
  }

  private async runNow(code: string, signal?: AbortSignal): Promise<ToolOutcome> {
    const limits = this.run.limits.script
    if (signal?.aborted) return scriptOutcome({ end: { kind: 'cancelled' }, logs: [], droppedLogChars: 0, cpuMs: 0, wallMs: 0 }, limits)
    const started = performance.now()
    let channel: ChildChannel<ScriptChannel>
    try {
      channel = await this.ensureStarted()
    } catch (error) {
      return { status: 'error', exitCode: null, output: `the script runner could not start: ${(error as Error).message}`, artifactPath: null }
    }
    const jobId = this.nextJobId++
    const deadline = setTimeout(() => channel.kill(), limits.wallMs + DEADLINE_GRACE_MS)
    let cancelTimer: NodeJS.Timeout | undefined
    const onAbort = (): void => {
      cancelTimer = setTimeout(() => channel.kill(), CANCEL_GRACE_MS)
    }
    // Aborted while the runner started: the cancel is sent with the job, and the kill still follows.
    if (signal?.aborted) onAbort()
    else signal?.addEventListener('abort', onAbort, { once: true })
    const job = { jobId, code, workspace: this.run.workspace, hiddenPaths: this.run.hiddenPaths, ripgrepPath: this.run.tools.ripgrepPath, limits }
    let report: ScriptReport | { crashed: string }
    try {
      report = await channel.request(job, { signal })
    } catch (error) {
      report = { crashed: error instanceof ChildExitedError ? `${describeExit(error.exit)}${lastWords(error.exit.stderrTail)}` : (error as Error).message }
    } finally {
      clearTimeout(deadline)
      clearTimeout(cancelTimer)
      signal?.removeEventListener('abort', onAbort)
    }
    if (!('crashed' in report)) return scriptOutcome(report, limits)
    const wallMs = performance.now() - started
    if (signal?.aborted) return scriptOutcome({ end: { kind: 'cancelled' }, logs: [], droppedLogChars: 0, cpuMs: 0, wallMs }, limits)
    if (wallMs >= limits.wallMs) return scriptOutcome({ end: { kind: 'quota', quota: 'wall' }, logs: [], droppedLogChars: 0, cpuMs: 0, wallMs }, limits)
    return crashedScriptOutcome(report.crashed, limits, wallMs)
  }

  private ensureStarted(): Promise<ChildChannel<ScriptChannel>> {
    if (this.channel?.alive) return Promise.resolve(this.channel)
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
    const filter = commandFilter()
    if (filter === null) throw new Error(`the OS sandbox has no seccomp filter for this processor (${process.arch}); scripts cannot run sandboxed here`)
    const args = bwrapArgv({
      seccompFd: SECCOMP_FD,
      hostsInnerSandbox: false,
      uid: process.getuid?.() ?? 0,
      gid: process.getgid?.() ?? 0,
      cwd: this.run.workspace,
      command: node,
      mounts: {
        workspace: this.run.workspace,
        workspaceWritable: false,
        tempDir: null,
        controlDir: null,
        home: existingRealPaths([this.run.home])[0] ?? null,
        homeMounts: [],
        files: [],
        pinned: [],
        // The runner's own code and Node must stay visible even when they live under /tmp.
        readOnly: existingRealPaths([resolve(dirname(entry), '..', '..'), dirname(process.execPath)]),
        hiddenDirectories: [...existingRealPaths(this.run.dataDir === null ? [] : [this.run.dataDir]), ...hidden.directories],
        hiddenFiles: hidden.files
      }
    })
    return { file: this.run.tools.bwrapPath, args, filter }
  }

  /** bwrap reads the seccomp program from an inherited descriptor. */
  private openFilter(filter: Buffer): number {
    const path = join(this.run.runDir, 'control', 'seccomp.bpf')
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, filter, { mode: 0o644 })
    return openSync(path, 'r')
  }

  private async start(): Promise<ChildChannel<ScriptChannel>> {
    const { file, args, filter } = this.launch()
    const filterFd = filter === null ? null : this.openFilter(filter)
    try {
      this.channel = await ChildChannel.start<ScriptChannel>({
        name: 'the script runner',
        file,
        args,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TETHER_SCRIPT_MEMORY_MB: String(this.run.limits.script.memoryMb) },
        startTimeoutMs: START_TIMEOUT_MS,
        extraStdio: [filterFd ?? 'ignore']
      })
      return this.channel
    } finally {
      if (filterFd !== null) closeSync(filterFd)
    }
  }
}
