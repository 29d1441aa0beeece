// The ToolRuntime the run driver uses. It lives in the app process but runs nothing itself:
// arguments are validated here, and every tool runs in the supervised tool host (PTY shells in
// bubblewrap, the isolated-vm script runner, the confined file tools).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { builtinTools } from './builtin'
import { plainNodePath, resolveEntryPoint } from './entry-point'
import type { HostRunConfig, HostTools, HostToolResult, ScriptLimits, ToolLimits } from './host/host-protocol'
import { DEFAULT_CAPTURE_LIMITS, type CaptureLimits } from './output/output-capture'
import { personGitIdentity } from '../git/git-runner'
import { DEFAULT_HOME_ALLOWLIST } from './sandbox/home-view'
import { DEFAULT_SANDBOX_TOOLS } from './sandbox/sandbox-requirements'
import { ChildExitedError } from './channel/child-channel'
import { ToolHostSupervisor } from './supervisor/tool-host-supervisor'
import type { RunToolContext, ToolCallObserver, ToolCallRequest, ToolCallResult, ToolRuntime } from './tool-runtime'

export const DEFAULT_SCRIPT_LIMITS: ScriptLimits = { memoryMb: 64, cpuMs: 2_000, wallMs: 10_000, logChars: 16 * 1024, resultChars: 16 * 1024 }

export const DEFAULT_TOOL_LIMITS: ToolLimits = { capture: DEFAULT_CAPTURE_LIMITS, rawOutputChars: 8 * 1024 * 1024, script: DEFAULT_SCRIPT_LIMITS }

export interface SandboxedToolRuntimeOptions {
  /** Tether's data dir: hidden as a whole inside the sandbox and from the file tools. */
  dataDir?: string | null
  /** More paths that can be neither read nor written (e.g. a token store outside the home). */
  hiddenPaths?: string[]
  /** The home the sandbox replaces with an empty one (default: this user's). */
  home?: string
  /** The home folders shown read-only inside the sandbox, asked for when each run opens (default DEFAULT_HOME_ALLOWLIST). */
  homeAllowlist?: () => readonly string[] | Promise<readonly string[]>
  /** A plain Node binary for the tool host (default: this process's, or `node` on PATH inside Electron). */
  nodePath?: string
  tools?: Partial<HostTools>
  limits?: { capture?: Partial<CaptureLimits>; rawOutputChars?: number; script?: Partial<ScriptLimits> }
  /** Where per-run scratch directories (the sandbox's /tmp, command files) are created (default: the OS temp dir). */
  scratchDir?: string
}

interface OpenRun {
  config: HostRunConfig
  /** The supervisor generation the run was opened in; another one means the host was restarted. */
  generation: number
}

function errorResult(output: string, startedAt: number, status: ToolCallResult['status'] = 'error'): ToolCallResult {
  return { status, exitCode: null, output, artifactPath: null, durationMs: performance.now() - startedAt, hostWaitMs: 0 }
}

export class SandboxedToolRuntime implements ToolRuntime {
  private readonly supervisor: ToolHostSupervisor
  private readonly runs = new Map<string, OpenRun>()
  private readonly tools: HostTools
  private readonly limits: ToolLimits
  private readonly dataDir: string | null
  private readonly hiddenPaths: string[]
  private readonly home: string
  private readonly homeAllowlist: () => readonly string[] | Promise<readonly string[]>
  private readonly scratchDir: string

  constructor(options: SandboxedToolRuntimeOptions = {}) {
    this.supervisor = new ToolHostSupervisor({ nodePath: options.nodePath ?? plainNodePath(), entry: resolveEntryPoint('tool-host') })
    this.tools = { ...DEFAULT_SANDBOX_TOOLS, ripgrepPath: '/usr/bin/rg', ...options.tools }
    this.limits = {
      capture: { ...DEFAULT_TOOL_LIMITS.capture, ...options.limits?.capture },
      rawOutputChars: options.limits?.rawOutputChars ?? DEFAULT_TOOL_LIMITS.rawOutputChars,
      script: { ...DEFAULT_TOOL_LIMITS.script, ...options.limits?.script }
    }
    this.dataDir = options.dataDir ?? null
    this.hiddenPaths = options.hiddenPaths ?? []
    this.home = options.home ?? homedir()
    this.homeAllowlist = options.homeAllowlist ?? (() => DEFAULT_HOME_ALLOWLIST)
    this.scratchDir = options.scratchDir ?? tmpdir()
  }

  /** The tool host's process id while it runs (for diagnostics). */
  get hostPid(): number | null {
    return this.supervisor.pid
  }

  readonly registry = builtinTools

  async openRun(context: RunToolContext): Promise<void> {
    if (this.runs.has(context.runId)) return
    // Hidden as a directory: it must exist before the sandbox starts, or what is saved there later would show.
    if (this.dataDir !== null) mkdirSync(this.dataDir, { recursive: true, mode: 0o700 })
    const [homeAllowlist, gitIdentity] = await Promise.all([this.homeAllowlist(), context.unsandboxed ? null : personGitIdentity(this.home)])
    const runDir = mkdtempSync(join(this.scratchDir, `tether-${context.runId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60)}-`))
    const run: OpenRun = {
      generation: -1,
      config: {
        runId: context.runId,
        workspace: context.workspace,
        artifactsDir: context.artifactsDir,
        networkAllowlist: [...context.networkAllowlist],
        unsandboxed: context.unsandboxed,
        runDir,
        dataDir: this.dataDir,
        home: this.home,
        homeAllowlist: [...homeAllowlist],
        gitIdentity,
        hiddenPaths: this.hiddenPaths,
        tools: this.tools,
        limits: this.limits
      }
    }
    try {
      await this.openInHost(run)
    } catch (error) {
      rmSync(runDir, { recursive: true, force: true })
      throw error
    }
    this.runs.set(context.runId, run)
  }

  async execute(request: ToolCallRequest, observer: ToolCallObserver = {}): Promise<ToolCallResult> {
    const startedAt = performance.now()
    const run = this.runs.get(request.runId)
    if (run === undefined) return errorResult(`run ${request.runId} is not open`, startedAt)
    if (observer.signal?.aborted) return errorResult('interrupted before it started', startedAt, 'interrupted')
    let sentAt = startedAt
    try {
      await this.supervisor.ensureStarted()
      if (run.generation !== this.supervisor.generation) await this.openInHost(run)
      sentAt = performance.now()
      const reply = await this.supervisor.request(
        { type: 'execute', runId: request.runId, callId: request.callId, tool: request.call.tool.name, args: request.call.args },
        { onOutput: observer.onOutput, signal: observer.signal }
      )
      if (reply.type !== 'executed') return errorResult('the tool host gave an unexpected answer', startedAt)
      return this.withTimings(reply.result, sentAt - startedAt)
    } catch (error) {
      const message = (error as Error).message
      if (error instanceof ChildExitedError) {
        return errorResult(`${message} while this call was running; every process it started was stopped. The tool host is restarted for the next call.`, startedAt)
      }
      return errorResult(`the tool could not run: ${message}`, startedAt)
    }
  }

  async closeRun(runId: string): Promise<void> {
    const run = this.runs.get(runId)
    if (run === undefined) return
    this.runs.delete(runId)
    try {
      if (run.generation === this.supervisor.generation && this.supervisor.pid !== null) await this.supervisor.request({ type: 'close-run', runId })
    } finally {
      rmSync(run.config.runDir, { recursive: true, force: true })
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.runs.keys()].map((runId) => this.closeRun(runId)))
    await this.supervisor.close()
  }

  private async openInHost(run: OpenRun): Promise<void> {
    await this.supervisor.ensureStarted()
    const generation = this.supervisor.generation
    await this.supervisor.request({ type: 'open-run', run: run.config })
    run.generation = generation
  }

  private withTimings(result: HostToolResult, waitBeforeSend: number): ToolCallResult {
    const { queuedMs, ...rest } = result
    return { ...rest, durationMs: Math.round(result.durationMs * 100) / 100, hostWaitMs: Math.round((waitBeforeSend + queuedMs) * 100) / 100 }
  }
}

export function createToolRuntime(options: SandboxedToolRuntimeOptions = {}): ToolRuntime {
  return new SandboxedToolRuntime(options)
}
