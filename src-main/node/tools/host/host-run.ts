// Everything the tool host keeps for one run: the shell, the script runner, the network proxy
// and the confined file tools, opened together and closed together.
import { mkdirSync, realpathSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { builtinTools } from '../builtin'
import { WorkspaceFiles } from '../files/workspace-files'
import { AllowlistProxy } from '../sandbox/allowlist-proxy'
import { existingRealPaths } from '../sandbox/existing-paths'
import { invalidHomeAllowlistEntries } from '../sandbox/home-view'
import { invalidAllowlistEntries } from '../sandbox/network-allowlist'
import { missingSandboxRequirement } from '../sandbox/sandbox-requirements'
import { workspaceRefusal } from '../sandbox/workspace-validation'
import { ScriptRunnerClient } from '../script/script-runner-client'
import { RunShell } from '../shell/run-shell'
import type { HostRunConfig, HostToolResult } from './host-protocol'
import type { ToolRun, ToolRunContext } from '../registry/define-tool'
import { errorOutcome } from './tool-outcome'

function checkWorkspace(config: HostRunConfig): void {
  let isDirectory = false
  try {
    isDirectory = statSync(config.workspace).isDirectory()
  } catch {
    throw new Error(`the workspace ${config.workspace} does not exist`)
  }
  if (!isDirectory) throw new Error(`the workspace ${config.workspace} is not a directory`)
  const refusal = workspaceRefusal(realpathSync(config.workspace), { home: config.home, dataDir: config.dataDir })
  if (refusal !== null) throw new Error(`this folder cannot be a workspace: ${refusal}`)
  const invalidHome = invalidHomeAllowlistEntries(config.homeAllowlist)
  if (invalidHome.length > 0) throw new Error(`invalid home allowlist: ${invalidHome.join('; ')}`)
}

/** A file name for the call's artifact: call ids come from the model server. */
function artifactName(callId: string): string {
  return `${callId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 120) || 'call'}.txt`
}

export class HostRun {
  readonly config: HostRunConfig
  private readonly shell: RunShell
  private readonly scripts: ScriptRunnerClient
  private readonly files: WorkspaceFiles
  private readonly proxy: AllowlistProxy | null

  private constructor(config: HostRunConfig, proxy: AllowlistProxy | null) {
    this.config = config
    this.proxy = proxy
    this.shell = new RunShell(config, proxy)
    this.scripts = new ScriptRunnerClient(config)
    this.files = new WorkspaceFiles(
      { workspace: config.workspace, readOnly: [], hidden: existingRealPaths([...(config.dataDir === null ? [] : [config.dataDir]), ...config.hiddenPaths]) },
      { ripgrepPath: config.tools.ripgrepPath }
    )
  }

  /** Opens the run; fails closed (with what is missing) when the sandbox cannot be used. */
  static async open(config: HostRunConfig): Promise<HostRun> {
    checkWorkspace(config)
    const invalid = invalidAllowlistEntries(config.networkAllowlist)
    if (invalid.length > 0) throw new Error(`invalid network allowlist: ${invalid.join('; ')}`)
    const needsProxy = !config.unsandboxed && config.networkAllowlist.length > 0
    if (!config.unsandboxed) {
      const missing = missingSandboxRequirement(config.tools, needsProxy)
      if (missing !== null) throw new Error(missing)
    }
    mkdirSync(join(config.runDir, 'control'), { recursive: true, mode: 0o755 })
    const proxy = needsProxy ? await AllowlistProxy.listen(join(config.runDir, 'control', 'proxy.sock'), config.networkAllowlist) : null
    const run = new HostRun(config, proxy)
    try {
      await run.shell.start()
    } catch (error) {
      await run.close()
      throw error
    }
    return run
  }

  async execute(callId: string, toolName: string, args: unknown, emit: (data: string) => void, signal: AbortSignal): Promise<HostToolResult> {
    const started = performance.now()
    const { outcome, queuedMs } = await this.run(callId, toolName, args, emit, signal)
    return { ...outcome, durationMs: performance.now() - started - queuedMs, queuedMs }
  }

  async close(): Promise<void> {
    await Promise.all([this.shell.close(), this.scripts.close()])
    await this.proxy?.close()
  }

  private async run(callId: string, toolName: string, args: unknown, emit: (data: string) => void, signal: AbortSignal): Promise<ToolRun> {
    const tool = builtinTools.get(toolName)
    if (tool === undefined) return { outcome: errorOutcome(`the tool host has no tool ${toolName}`), queuedMs: 0 }
    const context: ToolRunContext = {
      shell: this.shell,
      scripts: this.scripts,
      files: this.files,
      artifactPath: join(this.config.artifactsDir, artifactName(callId)),
      emit,
      signal
    }
    return tool.run(args, context)
  }
}
