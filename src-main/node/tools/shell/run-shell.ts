// The shell tool of one run: a persistent PtyShell (inside bubblewrap unless the run is
// explicitly unsandboxed), calls queued one at a time, output captured and bounded, and a fresh
// shell after a timeout, an interrupt or an exit - with the working directory and exported
// variables of the last finished call.
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { assertNever } from '../../../common/run/records'
import type { HostRunConfig } from '../host/host-protocol'
import type { ToolOutcome } from '../host/tool-outcome'
import { OutputCapture } from '../output/output-capture'
import type { AllowlistProxy } from '../sandbox/allowlist-proxy'
import { existingRealPaths, splitDirectoriesAndFiles } from '../sandbox/existing-paths'
import { explainSandboxFailure } from '../sandbox/sandbox-requirements'
import { bwrapArgv, CONTROL_MOUNT } from '../sandbox/sandbox-spec'
import { unixSocketFilter } from '../sandbox/seccomp-filter'
import { protectWorkspace, removePlaceholders } from '../sandbox/workspace-protection'
import { PtyShell, ShellStartError, type ShellLaunch, type ShellOutcome } from './pty-shell'
import { shellEnvironment } from './shell-env'
import { shellInitScript } from './shell-init'

const PROXY_PORT = 3128
const BASH = '/bin/bash'
const STATE_FILE = '.tether-shell-state'
const TERMINAL = { cols: 120, rows: 40 }
const SECCOMP_FD = 9

export interface ShellCall {
  command: string
  timeoutMs: number
}

/** The call's status and the line that says how it ended. */
function verdict(outcome: ShellOutcome, call: ShellCall): Pick<ToolOutcome, 'status' | 'exitCode'> & { note: string } {
  switch (outcome.kind) {
    case 'completed':
      return { status: outcome.exitCode === 0 ? 'ok' : 'error', exitCode: outcome.exitCode, note: `exit code ${outcome.exitCode}` }
    case 'timeout':
      return { status: 'timeout', exitCode: null, note: `timed out after ${call.timeoutMs.toLocaleString('en-US')} ms; every process of the call was killed` }
    case 'interrupted':
      return { status: 'interrupted', exitCode: null, note: 'interrupted; every process of the call was killed' }
    case 'shell-exited':
      return {
        status: outcome.exitCode === 0 ? 'ok' : 'error',
        exitCode: outcome.exitCode,
        note: `the shell exited (exit status ${outcome.exitCode ?? '?'}${outcome.signal ? `, signal ${outcome.signal}` : ''})`
      }
    default:
      return assertNever(outcome, 'shell outcome')
  }
}

export class RunShell {
  private readonly run: HostRunConfig
  private readonly proxy: AllowlistProxy | null
  private readonly controlDir: string
  private readonly tempDir: string
  private readonly placeholders: string[] = []
  private shell: PtyShell | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private closed = false

  constructor(run: HostRunConfig, proxy: AllowlistProxy | null) {
    this.run = run
    this.proxy = proxy
    this.controlDir = join(run.runDir, 'control')
    this.tempDir = join(run.runDir, 'tmp')
  }

  /** Starts the shell; rejects with what is wrong when the sandbox cannot start. */
  async start(): Promise<void> {
    mkdirSync(this.controlDir, { recursive: true, mode: 0o755 })
    mkdirSync(this.tempDir, { recursive: true, mode: 0o700 })
    this.shell = await this.spawn()
  }

  execute(call: ShellCall, artifactPath: string, emit: (data: string) => void, signal?: AbortSignal): Promise<{ outcome: ToolOutcome; queuedMs: number }> {
    const queuedAt = performance.now()
    const result = this.queue.then(async () => {
      const queuedMs = performance.now() - queuedAt
      return { outcome: await this.runNow(call, artifactPath, emit, signal), queuedMs }
    })
    this.queue = result.catch(() => undefined)
    return result
  }

  async close(): Promise<void> {
    this.closed = true
    await this.queue
    await this.shell?.kill()
    this.shell = null
    removePlaceholders(this.placeholders)
  }

  private async runNow(call: ShellCall, artifactPath: string, emit: (data: string) => void, signal?: AbortSignal): Promise<ToolOutcome> {
    if (this.closed) return { status: 'error', exitCode: null, output: 'the run is closed', artifactPath: null }
    if (signal?.aborted) return { status: 'interrupted', exitCode: null, output: '[interrupted before it started]', artifactPath: null }
    if (this.shell === null || !this.shell.alive) {
      const restarted = await this.restart()
      if (restarted !== null) return { status: 'error', exitCode: null, output: `the shell is not available: ${restarted}`, artifactPath: null }
    }
    const shell = this.shell as PtyShell
    const capture = new OutputCapture(artifactPath, this.run.limits.capture)
    let forwarded = 0
    const onOutput = (data: string): void => {
      capture.writeTerminal(data)
      if (forwarded >= this.run.limits.rawOutputChars) return
      forwarded += data.length
      emit(forwarded >= this.run.limits.rawOutputChars ? `${data}\r\n[terminal view stopped here; the full output is saved]\r\n` : data)
    }
    this.proxy?.takeEvents()
    const outcome = await shell.run(call.command, { timeoutMs: call.timeoutMs, onOutput, signal })
    const { status, exitCode, note } = verdict(outcome, call)
    const notes = [note]
    if (outcome.kind !== 'completed') {
      const problem = await this.restart()
      notes.push(
        problem === null
          ? 'A new shell was started (working directory and exported variables as after the last finished call).'
          : `The shell could not be restarted (${problem}); the next call will try again.`
      )
    }
    for (const event of this.blockedConnections()) notes.push(event)
    const captured = capture.finish()
    const body = captured.view.length > 0 && !captured.view.endsWith('\n') ? `${captured.view}\n` : captured.view
    return { status, exitCode, output: `${body}${notes.map((note) => `[${note}]`).join('\n')}`, artifactPath: captured.artifactPath }
  }

  private blockedConnections(): string[] {
    const blocked = new Set<string>()
    for (const event of this.proxy?.takeEvents() ?? []) if (!event.allowed) blocked.add(`${event.host}:${event.port}`)
    return [...blocked].map((target) => `network: blocked a connection to ${target} (not in the network allowlist)`)
  }

  /** Replaces the shell; returns null on success, otherwise what went wrong. */
  private async restart(): Promise<string | null> {
    await this.shell?.kill()
    this.shell = null
    if (this.closed) return 'the run is closed'
    try {
      this.shell = await this.spawn()
      return null
    } catch (error) {
      return (error as Error).message
    }
  }

  private async spawn(): Promise<PtyShell> {
    const launch = this.run.unsandboxed ? this.unsandboxedLaunch() : this.sandboxedLaunch()
    try {
      return await PtyShell.start(launch)
    } catch (error) {
      if (error instanceof ShellStartError && !this.run.unsandboxed) throw new Error(explainSandboxFailure(error.message))
      throw error
    }
  }

  private writeInit(stateFile: string, waitForProxy: boolean): string {
    const script = shellInitScript({ stateFile })
    const proxyWait = waitForProxy
      ? `for __tether_try in $(seq 200); do (: </dev/tcp/127.0.0.1/${PROXY_PORT}) 2>/dev/null && break; sleep 0.01; done; unset __tether_try\n`
      : ''
    const path = join(this.controlDir, 'shell-init.sh')
    writeFileSync(path, proxyWait + script, { mode: 0o644 })
    return path
  }

  private sandboxedLaunch(): ShellLaunch {
    const { run } = this
    this.writeInit(`/tmp/${STATE_FILE}`, this.proxy !== null)
    const protection = protectWorkspace(run.workspace)
    this.placeholders.push(...protection.placeholders)
    const hidden = splitDirectoriesAndFiles(run.hiddenPaths)
    const bash = [BASH, '--noprofile', '--rcfile', `${CONTROL_MOUNT}/shell-init.sh`, '--noediting', '-i']
    const command =
      this.proxy === null
        ? bash
        : [
            '/bin/sh',
            '-c',
            `${run.tools.socatPath} TCP-LISTEN:${PROXY_PORT},bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:${CONTROL_MOUNT}/proxy.sock >/dev/null 2>&1 & exec "$@"`,
            'sh',
            ...bash
          ]
    // The allowlist proxy is reached over a Unix socket, so Unix sockets stay allowed with it.
    const filter = this.proxy === null ? unixSocketFilter() : null
    const args = bwrapArgv({
      seccompFd: filter === null ? null : SECCOMP_FD,
      uid: process.getuid?.() ?? 0,
      gid: process.getgid?.() ?? 0,
      cwd: run.workspace,
      command,
      mounts: {
        workspace: run.workspace,
        workspaceWritable: true,
        tempDir: this.tempDir,
        controlDir: this.controlDir,
        pinned: protection.pinned,
        readOnly: [...protection.readOnly, ...existingRealPaths(run.readOnlyPaths)],
        hiddenDirectories: hidden.directories,
        hiddenFiles: hidden.files
      }
    })
    let file = run.tools.bwrapPath
    let launchArgs = args
    if (filter !== null) {
      // A PTY child inherits no extra descriptors, so a tiny sh opens the filter on the way to bwrap.
      const filterPath = join(this.controlDir, 'seccomp.bpf')
      writeFileSync(filterPath, filter, { mode: 0o644 })
      file = '/bin/sh'
      launchArgs = ['-c', `exec ${SECCOMP_FD}<"$1" || exit 126; shift; exec "$@"`, 'tether-sandbox', filterPath, run.tools.bwrapPath, ...args]
    }
    return {
      file,
      args: launchArgs,
      env: shellEnvironment(process.env, { tmpDir: '/tmp', cacheDir: '/tmp/.cache', proxyUrl: this.proxy === null ? null : `http://127.0.0.1:${PROXY_PORT}` }),
      cwd: run.workspace,
      commandFileOnHost: join(this.controlDir, 'command.sh'),
      commandFileInShell: `${CONTROL_MOUNT}/command.sh`,
      environmentToken: null,
      ...TERMINAL
    }
  }

  private unsandboxedLaunch(): ShellLaunch {
    const init = this.writeInit(join(this.tempDir, STATE_FILE), false)
    const environmentToken = `TETHER_SHELL_TOKEN=${randomBytes(12).toString('hex')}`
    const [tokenName, tokenValue] = environmentToken.split('=') as [string, string]
    const commandFile = join(this.controlDir, 'command.sh')
    return {
      file: BASH,
      args: ['--noprofile', '--rcfile', init, '--noediting', '-i'],
      env: { ...shellEnvironment(process.env, { tmpDir: this.tempDir, cacheDir: null, proxyUrl: null }), [tokenName]: tokenValue },
      cwd: this.run.workspace,
      commandFileOnHost: commandFile,
      commandFileInShell: commandFile,
      environmentToken,
      ...TERMINAL
    }
  }
}
