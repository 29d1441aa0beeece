// The shell tool of one run: a persistent PtyShell (inside bubblewrap unless the run is
// explicitly unsandboxed), calls queued one at a time, output captured and bounded, and a fresh
// shell after a timeout, an interrupt or an exit - with the working directory and exported
// variables of the last finished call.
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { assertNever } from '../../../common/run/records'
import type { HostRunConfig } from '../host/host-protocol'
import type { ToolOutcome } from '../host/tool-outcome'
import { OutputCapture } from '../output/output-capture'
import type { AllowlistProxy } from '../sandbox/allowlist-proxy'
import { existingRealPaths, splitDirectoriesAndFiles } from '../sandbox/existing-paths'
import { homeMounts } from '../sandbox/home-view'
import { explainSandboxFailure } from '../sandbox/sandbox-requirements'
import { bwrapArgv, CONTROL_MOUNT, innerSandboxArgv, type SandboxMounts } from '../sandbox/sandbox-spec'
import { commandFilter, launcherFilter } from '../sandbox/seccomp-filter'
import { disarmNewContinuations, disarmNewRepositories, protectWorkspace, removePlaceholders, type Placeholder } from '../sandbox/workspace-protection'
import { PtyShell, ShellStartError, type ShellLaunch, type ShellOutcome } from './pty-shell'
import { shellEnvironment } from './shell-env'
import { shellInitScript } from './shell-init'

const PROXY_PORT = 3128
const BASH = '/bin/bash'
const STATE_FILE = '.tether-shell-state'
const TERMINAL = { cols: 120, rows: 40 }
const SECCOMP_FD = 9

const runStartSchema = z.object({ repositories: z.array(z.string()), continuations: z.record(z.string(), z.string()) })
type RunStart = z.infer<typeof runStartSchema>

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
  private readonly placeholders: Placeholder[] = []
  /** The repositories (and half-done operations) in the workspace when the run began; any other one was made by the run. */
  private atStart: RunStart | null = null
  /** The git directories protected by the latest start. */
  private gitDirectories: string[] = []
  private readonly disarmed: string[] = []
  private shell: PtyShell | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private closed = false
  /** Aborted on close: a call still running is killed, never waited for (it may run until its timeout). */
  private readonly closing = new AbortController()

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
      const stop = signal === undefined ? this.closing.signal : AbortSignal.any([signal, this.closing.signal])
      return { outcome: await this.runNow(call, artifactPath, emit, stop), queuedMs }
    })
    this.queue = result.catch(() => undefined)
    return result
  }

  async close(): Promise<void> {
    this.closed = true
    this.closing.abort()
    await this.queue
    await this.shell?.kill()
    this.shell = null
    removePlaceholders(this.placeholders)
    this.disarm()
  }

  /** Takes apart repositories and `exec` continuations the run made; returns what it set aside. */
  private disarm(): string[] {
    if (this.atStart === null) return []
    return [
      ...disarmNewRepositories(this.run.workspace, this.atStart.repositories),
      ...disarmNewContinuations(this.run.workspace, this.gitDirectories, this.atStart.continuations)
    ]
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
    if (outcome.kind !== 'completed' && !this.closed) {
      const problem = await this.restart()
      notes.push(
        problem === null
          ? 'A new shell was started (working directory and exported variables as after the last finished call).'
          : `The shell could not be restarted (${problem}); the next call will try again.`
      )
    }
    for (const event of this.blockedConnections()) notes.push(event)
    for (const path of this.disarmed.splice(0)) notes.push(`${path} was made by this run and could make git run its commands later; it was renamed to ${path}.made-by-tether-run`)
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

  /** Mounts for this start; repositories the run made since the first start are taken apart first. */
  private sandboxMounts(): SandboxMounts {
    const { run } = this
    this.atStart ??= this.loadStart()
    this.disarmed.push(...this.disarm())
    const protection = protectWorkspace(run.workspace, { personConfigFiles: [join(run.home, '.gitconfig'), join(run.home, '.config', 'git', 'config')] })
    this.gitDirectories = protection.gitDirectories
    if (this.atStart === null) {
      this.atStart = { repositories: protection.repositories, continuations: protection.continuations }
      writeFileSync(this.startFile, JSON.stringify(this.atStart), { mode: 0o600 })
    }
    this.placeholders.push(...protection.placeholders)
    const hidden = splitDirectoriesAndFiles(run.hiddenPaths)
    const home = existingRealPaths([run.home])[0] ?? null
    const gitconfig = home === null ? null : this.writeGitIdentity()
    return {
      workspace: run.workspace,
      workspaceWritable: true,
      tempDir: this.tempDir,
      controlDir: this.controlDir,
      home,
      homeMounts: home === null ? [] : homeMounts(home, run.homeAllowlist),
      files: home === null || gitconfig === null ? [] : [{ source: gitconfig, target: join(home, '.gitconfig') }],
      pinned: protection.pinned,
      readOnly: protection.readOnly,
      hiddenDirectories: [...existingRealPaths(run.dataDir === null ? [] : [run.dataDir]), ...hidden.directories],
      hiddenFiles: hidden.files
    }
  }

  /** Kept beside the run's scratch folders (never inside the sandbox), so a restarted tool host still knows which repositories the run made. */
  private get startFile(): string {
    return join(this.run.runDir, 'workspace-at-start.json')
  }

  private loadStart(): RunStart | null {
    try {
      const parsed = runStartSchema.safeParse(JSON.parse(readFileSync(this.startFile, 'utf8')))
      return parsed.success ? parsed.data : null
    } catch {
      return null
    }
  }

  /** The sandbox's ~/.gitconfig: only the person's name and email, so commits made inside work. */
  private writeGitIdentity(): string | null {
    const identity = this.run.gitIdentity
    if (identity === null) return null
    const quote = (value: string): string => `"${value.replace(/[\\"]/g, '\\$&')}"`
    const path = join(this.controlDir, 'gitconfig')
    writeFileSync(path, `[user]\n\tname = ${quote(identity.name)}\n\temail = ${quote(identity.email)}\n`, { mode: 0o644 })
    return path
  }

  private writeFilter(name: string, filter: Buffer): string {
    const path = join(this.controlDir, name)
    writeFileSync(path, filter, { mode: 0o644 })
    return path
  }

  private sandboxedLaunch(): ShellLaunch {
    const { run } = this
    const command = commandFilter()
    const launcher = launcherFilter()
    if (command === null || launcher === null) throw new Error(`the OS sandbox has no seccomp filter for this processor (${process.arch}); commands cannot run sandboxed here`)
    this.writeInit(`/tmp/${STATE_FILE}`, this.proxy !== null)
    const bash = [BASH, '--noprofile', '--rcfile', `${CONTROL_MOUNT}/shell-init.sh`, '--noediting', '-i']
    const uid = process.getuid?.() ?? 0
    const gid = process.getgid?.() ?? 0
    const mounts = this.sandboxMounts()
    let args: string[]
    let outerFilter: string
    if (this.proxy === null) {
      outerFilter = this.writeFilter('seccomp.bpf', command)
      args = bwrapArgv({ seccompFd: SECCOMP_FD, uid, gid, cwd: run.workspace, command: bash, mounts, hostsInnerSandbox: false })
    } else {
      // The forwarder to the allowlist proxy needs a Unix socket, which commands may not have: it
      // runs in an outer layer, and commands in an inner one with the command filter stacked on top.
      outerFilter = this.writeFilter('launcher.bpf', launcher)
      this.writeFilter('seccomp.bpf', command)
      const inner = innerSandboxArgv({ uid, gid, cwd: run.workspace, seccompFd: SECCOMP_FD, command: bash })
      const forwarder = [
        '/bin/sh',
        '-c',
          `${run.tools.socatPath} TCP-LISTEN:${PROXY_PORT},bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:${CONTROL_MOUNT}/proxy.sock >/dev/null 2>&1 & ` +
          `exec ${SECCOMP_FD}<${CONTROL_MOUNT}/seccomp.bpf || exit 126; exec "$@"`,
        'sh',
        run.tools.bwrapPath,
        ...inner
      ]
      args = bwrapArgv({ seccompFd: SECCOMP_FD, uid, gid, cwd: run.workspace, command: forwarder, mounts, hostsInnerSandbox: true })
    }
    return {
      // A PTY child inherits no extra descriptors, so a tiny sh opens the filter on the way to bwrap.
      file: '/bin/sh',
      args: ['-c', `exec ${SECCOMP_FD}<"$1" || exit 126; shift; exec "$@"`, 'tether-sandbox', outerFilter, run.tools.bwrapPath, ...args],
      // HOME names the home the sandbox replaced, whatever this process's own variable says.
      env: { ...shellEnvironment(process.env, { tmpDir: '/tmp', cacheDir: '/tmp/.cache', proxyUrl: this.proxy === null ? null : `http://127.0.0.1:${PROXY_PORT}` }), HOME: run.home },
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
