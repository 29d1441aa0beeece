// One persistent interactive bash in a PTY (inside the sandbox when the launch says so). Calls
// run one at a time: the command goes to a file, a line typed into the shell sources it and
// prints the completion marker. A call that times out or is interrupted kills the whole shell -
// the PID namespace, or the environment token when unsandboxed, makes sure nothing survives.
import { randomBytes } from 'node:crypto'
import { spawn, type IPty } from 'node-pty'
import { terminalToText } from '../output/terminal-text'
import { writeCommandFile } from './command-file'
import { MarkerScanner } from './marker-scanner'
import { killAll, processesWithEnvironment, processTree, waitForExit } from './process-tree'
import { commandLine, doneMarkerPrefix, readyMarker } from './shell-init'

export interface ShellLaunch {
  file: string
  args: string[]
  env: Record<string, string>
  cwd: string
  /** The command file as the host writes it, and as the shell reads it. */
  commandFileOnHost: string
  commandFileInShell: string
  /** Set for an unsandboxed shell: `NAME=value` in the environment of all its processes. */
  environmentToken: string | null
  cols: number
  rows: number
}

export type ShellOutcome =
  | { kind: 'completed'; exitCode: number }
  | { kind: 'timeout' }
  | { kind: 'interrupted' }
  | { kind: 'shell-exited'; exitCode: number | null; signal: number | null }

export interface ShellRunOptions {
  timeoutMs: number
  onOutput: (data: string) => void
  signal?: AbortSignal
}

export class ShellStartError extends Error {}

const STARTUP_TIMEOUT_MS = 15_000
const KILL_WAIT_MS = 5_000

function token(): string {
  return randomBytes(12).toString('hex')
}

export class PtyShell {
  private readonly pty: IPty
  private readonly launch: ShellLaunch
  private exited: { exitCode: number | null; signal: number | null } | null = null
  private readonly exitListeners = new Set<() => void>()
  private dataListener: ((data: string) => void) | null = null
  private busy = false

  private constructor(pty: IPty, launch: ShellLaunch) {
    this.pty = pty
    this.launch = launch
    pty.onData((data) => this.dataListener?.(data))
    pty.onExit(({ exitCode, signal }) => {
      this.exited = { exitCode, signal: signal ?? null }
      for (const listener of [...this.exitListeners]) listener()
      this.exitListeners.clear()
    })
  }

  static async start(launch: ShellLaunch): Promise<PtyShell> {
    const readyToken = token()
    const pty = spawn(launch.file, launch.args, {
      name: 'xterm-256color',
      cols: launch.cols,
      rows: launch.rows,
      cwd: launch.cwd,
      env: { ...launch.env, TETHER_READY_TOKEN: readyToken }
    })
    const shell = new PtyShell(pty, launch)
    await shell.waitForReady(readyToken)
    return shell
  }

  get pid(): number {
    return this.pty.pid
  }

  get alive(): boolean {
    return this.exited === null
  }

  run(command: string, options: ShellRunOptions): Promise<ShellOutcome> {
    if (this.busy) throw new Error('the shell is already running a command')
    if (this.exited !== null) return Promise.resolve({ kind: 'shell-exited', ...this.exited })
    writeCommandFile(this.launch.commandFileOnHost, command)
    this.busy = true
    const callToken = token()
    const scanner = new MarkerScanner(doneMarkerPrefix(callToken))
    return new Promise<ShellOutcome>((resolve) => {
      let settled = false
      const onExit = (): void => {
        const rest = scanner.flush()
        if (rest.length > 0) options.onOutput(rest)
        finish({ kind: 'shell-exited', exitCode: this.exited?.exitCode ?? null, signal: this.exited?.signal ?? null })
      }
      const finish = (outcome: ShellOutcome): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        this.exitListeners.delete(onExit)
        options.signal?.removeEventListener('abort', onAbort)
        this.dataListener = null
        this.busy = false
        resolve(outcome)
      }
      const stop = (outcome: ShellOutcome): void => {
        if (settled) return
        this.dataListener = null
        this.exitListeners.delete(onExit)
        void this.kill().then(() => finish(outcome))
      }
      const onAbort = (): void => stop({ kind: 'interrupted' })
      const timer = setTimeout(() => stop({ kind: 'timeout' }), options.timeoutMs)
      options.signal?.addEventListener('abort', onAbort, { once: true })
      this.exitListeners.add(onExit)
      this.dataListener = (data) => {
        const scan = scanner.push(data)
        if (scan.passed.length > 0) options.onOutput(scan.passed)
        if (scan.found) finish({ kind: 'completed', exitCode: Number.parseInt(scan.payload, 10) || 0 })
      }
      if (options.signal?.aborted) {
        onAbort()
        return
      }
      this.pty.write(commandLine(this.launch.commandFileInShell, callToken, command))
    })
  }

  /** Kills the shell and every process it started, and waits until they are gone. */
  async kill(): Promise<void> {
    // The shell's own process goes last: its death hangs up the terminal, and a command killed by
    // that hang-up would let the shell run on for a moment before its own SIGKILL arrives.
    const found = this.launch.environmentToken === null ? processTree(this.pty.pid) : this.unsandboxedMembers()
    const members = [...found.filter((pid) => pid !== this.pty.pid), ...found.filter((pid) => pid === this.pty.pid)]
    const exited = this.exited === null ? new Promise<void>((resolve) => this.exitListeners.add(resolve)) : Promise.resolve()
    killAll(members)
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, KILL_WAIT_MS))])
    await waitForExit(members, KILL_WAIT_MS)
    if (this.launch.environmentToken !== null) {
      // Processes started while we were killing: repeat until none is left.
      for (let round = 0; round < 5; round++) {
        const late = processesWithEnvironment(this.launch.environmentToken)
        if (late.length === 0) break
        killAll(late)
        await waitForExit(late, KILL_WAIT_MS)
      }
    }
  }

  private unsandboxedMembers(): number[] {
    const members = new Set(processTree(this.pty.pid))
    for (const pid of processesWithEnvironment(this.launch.environmentToken as string)) members.add(pid)
    return [...members]
  }

  private waitForReady(readyToken: string): Promise<void> {
    const marker = readyMarker(readyToken)
    let early = ''
    return new Promise<void>((resolve, reject) => {
      let settled = false
      const settle = (): boolean => {
        if (settled) return false
        settled = true
        clearTimeout(timer)
        this.exitListeners.delete(onExit)
        this.dataListener = null
        return true
      }
      const fail = (reason: string): void => {
        if (!settle()) return
        const output = terminalToText(early).trim()
        void this.kill().then(() => reject(new ShellStartError(output.length > 0 ? `${reason}: ${output}` : reason)))
      }
      // The exit can be reported before the last output (the sandbox's error message) is read.
      const onExit = (): void => void setTimeout(() => fail(`the shell exited during start-up (exit status ${this.exited?.exitCode ?? '?'})`), 50)
      const timer = setTimeout(() => fail(`the shell did not start within ${STARTUP_TIMEOUT_MS} ms`), STARTUP_TIMEOUT_MS)
      this.exitListeners.add(onExit)
      this.dataListener = (data) => {
        early += data
        if (early.includes(marker) && settle()) resolve()
      }
    })
  }
}
