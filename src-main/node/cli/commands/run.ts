import { readFile, realpath } from 'node:fs/promises'
import { homedir } from 'node:os'
import { summarizeMetrics } from '../../../common/run/metrics-summary'
import { contextMeterOf, describeMeter } from '../../../common/usage/context-meter'
import type { RunOutcome } from '../../../common/run/records'
import type { RunState } from '../../../common/run/state'
import { RunDriver, RunNotFoundError } from '../../driver/run-driver'
import { DEFAULT_INSTRUCTIONS, type DriverServices, type RunChoices } from '../../driver/driver-options'
import { ProviderConfigError, resolveProvider, type Provider } from '../../driver/provider'
import { DataDir, defaultDataDir } from '../../store/data-dir'
import { newRunId } from '../../store/run-id'
import { readRunLog } from '../../store/run-log-reader'
import { encodeRecord } from '../../store/record-codec'
import { storedHomeAllowlist } from '../../host/settings-store'
import { createRunWorktree, WorktreeError } from '../../repo/run-worktree'
import { SandboxedToolRuntime } from '../../tools/sandboxed-tool-runtime'
import { workspaceRefusal } from '../../tools/sandbox/workspace-validation'
import { CliError, EXIT_USAGE } from '../cli-error'
import { ANSI_STYLE, LiveView, PLAIN_STYLE } from '../live-view'
import { renderMetrics } from '../render-transcript'
import { DEFAULT_APPROVAL_MODE } from '../../../common/run/approval-modes'
import type { SettingsChange } from '../../../common/run/records'
import { DEFAULT_TRANSPORT, parseRunOptions, RUN_HELP, type RunCliOptions } from '../run-options'
import { defaultModelOf, PROVIDERS, type ProviderName } from '../../../common/providers/providers'
import { createRunGate } from '../run-gate'
import { parseMcpConfig, type ParsedMcpConfig } from '../../mcp/mcp-config'
import { ProjectMcpApprovals } from '../../mcp/project-mcp'
import { startRunMcp, type RunMcp } from '../../mcp/run-mcp'

async function readPersonalMcpConfig(path: string | null): Promise<ParsedMcpConfig> {
  if (path === null) return { servers: [], problems: [] }
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new CliError(`--mcp-config ${path}: ${(error as Error).message}`, EXIT_USAGE)
  }
  const parsed = parseMcpConfig(text, 'personal', path)
  if (parsed.servers.length === 0 && parsed.problems.length > 0) throw new CliError(`--mcp-config: ${parsed.problems.join('; ')}`, EXIT_USAGE)
  return parsed
}

/** One line per MCP server and per problem, for the terminal. */
function mcpNotes(mcp: RunMcp): string[] {
  if (mcp.report === null) return []
  return [
    ...mcp.report.servers.map((server) =>
      server.problem === null ? `mcp: ${server.name} (${server.source}, ${server.transport}): ${server.tools.length} tools` : `mcp: ${server.name}: ${server.problem}`
    ),
    ...mcp.report.problems.map((problem) => `mcp: ${problem}`)
  ]
}

const EXIT_CODES: Record<RunOutcome, number> = { completed: 0, failed: 1, incomplete: 3, interrupted: 130 }

interface Connection {
  provider: Provider
  label: string
  stop: () => Promise<void>
}

async function connect(options: RunCliOptions, recorded: RunState | null): Promise<Connection> {
  if (options.sim !== null || recorded?.provider?.name === 'sim') {
    const { startSim } = await import('../../../../sim')
    const sim = await startSim({ scenario: options.sim ?? 'demo' })
    return { provider: { name: 'custom', baseUrl: sim.baseUrl, apiKey: 'sim' }, label: 'sim', stop: () => sim.stop() }
  }
  try {
    const provider = resolveProvider({
      provider: options.provider ?? recorded?.provider?.name,
      baseUrl: options.baseUrl ?? (recorded?.provider?.name === 'custom' ? recorded.provider.baseUrl : undefined)
    })
    return { provider, label: provider.name, stop: async () => {} }
  } catch (error) {
    if (error instanceof ProviderConfigError) throw new CliError(error.message, EXIT_USAGE)
    throw error
  }
}

function newRunChoices(options: RunCliOptions, provider: ProviderName): RunChoices {
  const { settings } = options
  return {
    model: settings.model ?? defaultModelOf(provider),
    transport: settings.transport ?? DEFAULT_TRANSPORT,
    store: settings.store ?? false,
    instructions: DEFAULT_INSTRUCTIONS,
    reasoning: { effort: options.reasoningEffort, summary: options.reasoningSummary ?? PROVIDERS[provider].defaultReasoningSummary },
    approvalMode: settings.approvalMode ?? DEFAULT_APPROVAL_MODE,
    networkAllowlist: settings.networkAllowlist ?? []
  }
}

/** The settings flags given with --resume, the reasoning ones over what the run was recorded with. */
function resumeChanges(options: RunCliOptions, recorded: RunState, provider: ProviderName): SettingsChange {
  if (options.reasoningEffort === null && options.reasoningSummary === null) return options.settings
  const before = recorded.settings?.reasoning ?? { effort: null, summary: PROVIDERS[provider].defaultReasoningSummary }
  const reasoning = { effort: options.reasoningEffort ?? before.effort, summary: options.reasoningSummary ?? before.summary }
  return { ...options.settings, reasoning }
}

const FLAG_OF: Record<keyof SettingsChange, string> = {
  model: '--model',
  transport: '--transport',
  approvalMode: '--approval',
  store: '--store',
  networkAllowlist: '--allow-network',
  reasoning: '--reasoning-effort/--reasoning-summary'
}

function shown(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(',')
  if (value !== null && typeof value === 'object') return Object.entries(value).map(([key, entry]) => `${key} ${String(entry ?? 'default')}`).join(', ')
  return String(value)
}

/** What a resume applied of the flags given with it, and what it kept as recorded. */
export function describeChanges(asked: SettingsChange, changed: SettingsChange, recorded: RunState): string {
  const before: SettingsChange = { ...recorded.settings, ...(recorded.model === null ? {} : { model: recorded.model }) }
  const keys = Object.keys(FLAG_OF).filter((key): key is keyof SettingsChange => asked[key as keyof SettingsChange] !== undefined)
  if (keys.length === 0) return 'resuming with the settings the run was recorded with'
  const parts = keys.map((key) =>
    changed[key] === undefined ? `${FLAG_OF[key]} ${shown(asked[key])} (already so)` : `${FLAG_OF[key]} ${shown(changed[key])} (was ${shown(before[key])})`
  )
  return `resuming with ${parts.join(', ')}`
}

export async function runCommand(args: string[]): Promise<number> {
  const options = parseRunOptions(args)
  if (options.help) {
    process.stdout.write(`${RUN_HELP}\n`)
    return 0
  }
  const dataDir = new DataDir(defaultDataDir())
  const recorded = options.resume === null ? null : await RunDriver.peek(dataDir, options.resume).catch((error: unknown) => {
    if (error instanceof RunNotFoundError) throw new CliError(error.message, EXIT_USAGE)
    throw error
  })
  const connection = await connect(options, recorded)
  const personalMcp = await readPersonalMcpConfig(options.mcpConfig)
  const tools = new SandboxedToolRuntime({
    dataDir: dataDir.root,
    homeAllowlist: async () => [...(await storedHomeAllowlist(dataDir.settings)), ...options.homeAllow]
  })
  const interactive = !options.json && process.stdin.isTTY === true && process.stdout.isTTY === true
  const style = process.stdout.isTTY ? ANSI_STYLE : PLAIN_STYLE
  const services = (gate: DriverServices['gate'], mcp: RunMcp): DriverServices => ({
    provider: connection.provider,
    providerLabel: connection.label,
    unsandboxed: false,
    tools: mcp.tools,
    mcp: mcp.report,
    gate
  })
  let driver: RunDriver | null = null
  let mcp: RunMcp | null = null
  try {
    const gate = createRunGate({ dataDir, interactive, style })
    const workspace =
      recorded?.workspace ??
      (await realpath(options.workspace!).catch(() => {
        throw new CliError(`--workspace ${options.workspace}: no such directory`, EXIT_USAGE)
      }))
    if (options.resume === null) {
      const refusal = workspaceRefusal(workspace, { home: homedir(), dataDir: dataDir.root })
      if (refusal !== null) throw new CliError(`--workspace ${options.workspace}: this folder cannot be a workspace: ${refusal}`, EXIT_USAGE)
    }
    const project = await new ProjectMcpApprovals(dataDir.mcpApprovals).read(workspace)
    const homeAllowlist = [...(await storedHomeAllowlist(dataDir.settings)), ...options.homeAllow]
    mcp = await startRunMcp(tools, { personal: personalMcp, project, allowProject: options.allowProjectMcp }, { workspace, dataDir: dataDir.root, homeAllowlist })
    if (!options.json) for (const line of mcpNotes(mcp)) process.stderr.write(style.dim(`${line}\n`))
    if (options.resume !== null) {
      const changes = recorded === null ? options.settings : resumeChanges(options, recorded, connection.provider.name)
      driver = await RunDriver.resume(dataDir, options.resume, services(gate, mcp), 'tether run --resume', changes)
      if (recorded !== null) process.stderr.write(style.dim(`${describeChanges(changes, driver.changed, recorded)}\n`))
    } else {
      if (options.worktree) {
        const runId = newRunId()
        const created = await createRunWorktree(dataDir, workspace, runId).catch((error: unknown) => {
          if (error instanceof WorktreeError) throw new CliError(error.message, EXIT_USAGE)
          throw error
        })
        const { path, ...info } = created
        driver = await RunDriver.start(dataDir, path, options.task!, services(gate, mcp), newRunChoices(options, connection.provider.name), { runId, info })
      } else {
        driver = await RunDriver.start(dataDir, workspace, options.task!, services(gate, mcp), newRunChoices(options, connection.provider.name))
      }
    }
    const view = new LiveView((text) => process.stdout.write(text), style)
    // With --json, stdout is the log itself, line for line with checksums (`tether replay -` reads
    // it back): what is already in it, then every new record.
    if (options.json) for (const record of (await readRunLog(driver.logPath)).records) process.stdout.write(encodeRecord(record))
    driver.subscribe((record, state) => (options.json ? process.stdout.write(encodeRecord(record)) : view.show(record, state)))
    if (!options.json) process.stderr.write(style.dim(`run ${driver.runId} · log ${driver.logPath}\n`))
    if (!options.json && driver.state.worktree) process.stderr.write(style.dim(`worktree ${driver.state.workspace} · branch ${driver.state.worktree.branch}\n`))
    const active = driver
    let interrupts = 0
    const onSigint = (): void => {
      interrupts += 1
      if (interrupts > 1) process.exit(EXIT_CODES.interrupted)
      void active.interrupt()
    }
    process.on('SIGINT', onSigint)
    const outcome = await driver.run().finally(() => process.off('SIGINT', onSigint))
    if (!options.json) process.stdout.write(`\n${renderMetrics(summarizeMetrics(driver.state))}\n${describeMeter(contextMeterOf(driver.state))}\n`)
    return EXIT_CODES[outcome]
  } finally {
    await driver?.close()
    if (mcp !== null && mcp.tools !== tools) await mcp.tools.close()
    await tools.close()
    await connection.stop()
  }
}
