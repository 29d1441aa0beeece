// The composition root shared by both hosts (Electron main and browser mode): settings, keys,
// runs, approvals, the demo, and the API every renderer talks to. The transports (IPC, WebSocket)
// only authenticate, validate and forward to `dispatch`.
import type {
  ApiReply,
  AppInfo,
  HostKind,
  MethodName,
  ParamsOf,
  ProjectMcpView,
  ProviderChoice,
  ResultOf,
  RunListItem,
  SettingsView
} from '../../common/api/contract'
import { isMethodName } from '../../common/api/contract'
import { parseParams } from '../../common/api/schemas'
import type { Provider } from '../driver/provider'
import type { RunState } from '../../common/run/state'
import { isProviderName, PROVIDER_NAMES, PROVIDERS } from '../../common/providers/providers'
import { DEFAULT_INSTRUCTIONS, type DriverServices, type RunChoices } from '../driver/driver-options'
import type { ToolGate } from '../driver/tool-gate'
import type { DataDir } from '../store/data-dir'
import { listRuns, type RunListing } from '../store/run-index'
import { RunSearch } from './run-search'
import { listWorkspaceFiles } from './workspace-file-list'
import type { ToolRuntime } from '../tools/tool-runtime'
import { parseMcpConfig, type ParsedMcpConfig } from '../mcp/mcp-config'
import { ProjectMcpApprovals } from '../mcp/project-mcp'
import { startRunMcp, type RunMcp } from '../mcp/run-mcp'
import { DEFAULT_HOME_ALLOWLIST } from '../tools/sandbox/home-view'
import { ApprovalDesk } from './approval-desk'
import { readArtifact } from './artifacts'
import { ClientConnection, type EventSink } from './client-connection'
import { DEMO_MODEL, DEMO_PROVIDER_LABEL, demoParentDir, prepareDemoWorkspace, type DemoModel } from './demo'
import { apiErrorOf, HostError } from './host-error'
import { keyStatusOf, resolveKey, type KeyStore } from './key-store'
import { describeRepo, resolveFolder } from './repos'
import { RunHeads } from './run-heads'
import { RunManager } from './run-manager'
import type { ReplayIndexes } from './replay-indexes'
import type { FoldProgress } from '../store/run-log-fold'
import { WorkspaceReview } from './workspace-review'
import { removeOrphanWorktrees } from '../repo/run-worktree'
import { draftCommitMessage, DraftError } from '../repo/draft-commit-message'
import { access } from 'node:fs/promises'
import { SettingsStore, type StoredSettings } from './settings-store'

/** The tool runtime and the approval gate all runs of this host share. */
export interface ToolServices {
  tools: ToolRuntime
  gate: ToolGate
  close(): Promise<void>
}

export interface HostOptions {
  kind: HostKind
  version: string
  dataDir: DataDir
  keys: KeyStore
  env: NodeJS.ProcessEnv
  resourcesDir: string
  /** Starts the tool host and the approval broker; called at the first run. */
  toolServices: (desk: ApprovalDesk) => Promise<ToolServices>
  /** Starts the demo model server; null where the demo is not part of the build. */
  demoModel: (() => Promise<DemoModel>) | null
  /** A native folder picker (Electron); absent in browser mode. */
  pickFolder?: () => Promise<string | null>
  /** Opens an https link with the OS; absent where the renderer opens links itself. */
  openExternal?: (url: string) => Promise<void>
  /** Shows a desktop notification; `onClick` runs when the person clicks it. False where none can be shown. */
  notify?: (note: { title: string; body: string }, onClick: () => void) => boolean
}

type Handlers = { [M in MethodName]: (params: ParamsOf<M>, client: ClientConnection) => Promise<ResultOf<M>> }

function baseUrlOf(settings: StoredSettings): string {
  return PROVIDERS[settings.provider].baseUrl ?? settings.customBaseUrl ?? ''
}

function personalMcpConfig(text: string): ParsedMcpConfig {
  return text.trim() === '' ? { servers: [], problems: [] } : parseMcpConfig(text, 'personal', 'your MCP servers (Settings)')
}

export class TetherHost {
  readonly options: HostOptions
  readonly runs: RunManager
  readonly desk = new ApprovalDesk()
  #settings: SettingsStore
  #clients = new Set<ClientConnection>()
  #heads = new RunHeads()
  #search = new RunSearch()
  #toolServices: Promise<ToolServices> | null = null
  /** The run index is rewritten by each listing: listings run one at a time. */
  #listing: Promise<unknown> = Promise.resolve()
  #demo: Promise<DemoModel> | null = null
  #projectMcp: ProjectMcpApprovals
  #review: WorkspaceReview

  private constructor(options: HostOptions, settings: SettingsStore) {
    this.options = options
    this.#settings = settings
    this.#projectMcp = new ProjectMcpApprovals(options.dataDir.mcpApprovals)
    this.runs = new RunManager(
      {
        dataDir: options.dataDir,
        desk: this.desk,
        newRun: (demo, workspace, model) => this.#newRun(demo, workspace, model),
        existingRun: (state) => this.#driverServices(state.provider?.name ?? null, state.provider?.baseUrl ?? '', state.workspace)
      },
      () => this.#broadcast({ type: 'runs.changed' })
    )
    this.#review = new WorkspaceReview(options.dataDir, this.runs)
  }

  static async create(options: HostOptions): Promise<TetherHost> {
    const host = new TetherHost(options, await SettingsStore.open(options.dataDir.settings))
    // Worktrees of runs whose logs were deleted go too (their branches stay).
    void removeOrphanWorktrees(options.dataDir, (runId) => access(options.dataDir.runLog(runId)).then(() => true, () => false)).catch(() => undefined)
    return host
  }

  /** A renderer connected: it gets its own subscriptions and the host's broadcasts. */
  connect(sink: EventSink): ClientConnection {
    const client = new ClientConnection(this.runs, sink)
    this.#clients.add(client)
    return client
  }

  disconnect(client: ClientConnection): void {
    client.close()
    this.#clients.delete(client)
  }

  /** Validates and runs one API call. Never throws: failures come back as `{ ok: false }`. */
  async dispatch(client: ClientConnection, method: unknown, rawParams: unknown): Promise<ApiReply<unknown>> {
    if (!isMethodName(method)) return { ok: false, error: { code: 'invalid_request', message: `unknown method ${JSON.stringify(method)}` } }
    const checked = parseParams(method, rawParams)
    if (!checked.ok) return { ok: false, error: { code: 'invalid_request', message: `${method}: ${checked.message}` } }
    try {
      const handler = this.#handlers[method] as (params: unknown, client: ClientConnection) => Promise<unknown>
      return { ok: true, result: await handler(checked.params, client) }
    } catch (error) {
      return { ok: false, error: apiErrorOf(error) }
    }
  }

  async close(): Promise<void> {
    for (const client of this.#clients) client.close()
    this.#clients.clear()
    await this.runs.close()
    const [tools, demo] = await Promise.allSettled([this.#toolServices, this.#demo])
    if (tools.status === 'fulfilled' && tools.value) await tools.value.close()
    if (demo.status === 'fulfilled' && demo.value) await demo.value.close()
  }

  #broadcast(event: Parameters<ClientConnection['send']>[0]): void {
    for (const client of this.#clients) client.send(event)
  }

  async #settingsView(): Promise<SettingsView> {
    const current = this.#settings.current
    const { keys, env } = this.options
    return {
      provider: current.provider,
      baseUrl: baseUrlOf(current),
      model: current.model,
      transport: current.transport,
      approvalMode: current.approvalMode,
      networkAllowlist: current.networkAllowlist,
      reasoningEffort: current.reasoningEffort,
      reasoningSummary: current.reasoningSummary,
      keys: Object.fromEntries(await Promise.all(PROVIDER_NAMES.map(async (name) => [name, await keyStatusOf(keys, name, env)] as const))) as SettingsView['keys'],
      keyStorage: keys.kind,
      mcpConfig: current.mcpConfig,
      mcpConfigProblems: personalMcpConfig(current.mcpConfig).problems
    }
  }

  async #appInfo(): Promise<AppInfo> {
    const { kind, version, dataDir, keys, env } = this.options
    return {
      host: kind,
      version,
      dataDir: dataDir.root,
      folderPicker: this.options.pickFolder !== undefined,
      keyConfigured: (await keyStatusOf(keys, this.#settings.current.provider, env)).configured,
      demoAvailable: this.options.demoModel !== null
    }
  }

  async #provider(name: ProviderChoice, baseUrl: string): Promise<Provider> {
    if (!baseUrl) throw new HostError('invalid_request', 'the custom provider needs a base URL: set it in Settings')
    const resolved = await resolveKey(this.options.keys, name, this.options.env)
    if (!resolved) {
      throw new HostError('unavailable', `no API key for ${name}: add one in Settings or set ${PROVIDERS[name].keyVariable}`)
    }
    return { name, baseUrl, apiKey: resolved.key }
  }

  async #demoModel(): Promise<DemoModel> {
    const factory = this.options.demoModel
    if (!factory) throw new HostError('unavailable', 'the scripted demo is not part of this build')
    this.#demo ??= factory()
    try {
      return await this.#demo
    } catch (error) {
      this.#demo = null
      throw new HostError('unavailable', `the demo model server did not start: ${(error as Error).message}`)
    }
  }

  async #demoProvider(): Promise<Provider> {
    const demo = await this.#demoModel()
    return { name: 'custom', baseUrl: demo.baseUrl, apiKey: demo.apiKey }
  }

  async #tools(): Promise<ToolServices> {
    this.#toolServices ??= this.options.toolServices(this.desk)
    try {
      return await this.#toolServices
    } catch (error) {
      this.#toolServices = null
      throw new HostError('unavailable', `the tool host did not start: ${(error as Error).message}`)
    }
  }

  async #projectMcpView(workspace: string): Promise<ProjectMcpView> {
    const project = await this.#projectMcp.read(await resolveFolder(workspace, this.options.dataDir.root))
    switch (project.state) {
      case 'absent':
        return { state: 'absent' }
      case 'unusable':
        return { state: 'unusable', problem: project.problem }
      case 'found':
        return { state: 'found', sha256: project.sha256, approved: project.approved, servers: project.summary, problems: project.config.problems }
      default:
        return project satisfies never
    }
  }

  /** The run's MCP servers: the person's own, and the repository's once approved. The demo has none. */
  async #runMcp(tools: ToolRuntime, workspace: string | null, demo: boolean): Promise<RunMcp> {
    if (demo || workspace === null) return { tools, report: null }
    const project = await this.#projectMcp.read(workspace)
    const homeAllowlist = this.#settings.current.homeAllowlist ?? DEFAULT_HOME_ALLOWLIST
    return startRunMcp(tools, { personal: personalMcpConfig(this.#settings.current.mcpConfig), project, allowProject: false }, { workspace, dataDir: this.options.dataDir.root, homeAllowlist })
  }

  async #newRun(demo: boolean, workspace: string, model?: string): Promise<{ services: DriverServices; choices: RunChoices }> {
    const settings = this.#settings.current
    const services = await this.#driverServices(demo ? DEMO_PROVIDER_LABEL : settings.provider, baseUrlOf(settings), workspace)
    const choices: RunChoices = {
      model: model ?? (demo ? DEMO_MODEL : settings.model),
      transport: settings.transport,
      store: false,
      instructions: DEFAULT_INSTRUCTIONS,
      reasoning: {
        effort: settings.reasoningEffort,
        summary: settings.reasoningSummary ?? PROVIDERS[services.provider.name].defaultReasoningSummary
      },
      approvalMode: settings.approvalMode,
      networkAllowlist: settings.networkAllowlist
    }
    return { services, choices }
  }

  /** The provider a run uses (by its label: the demo sim, or a provider) and the tools. */
  async #driverServices(label: string | null, baseUrl: string, workspace: string | null): Promise<DriverServices> {
    let provider: Provider
    if (label === DEMO_PROVIDER_LABEL) {
      provider = await this.#demoProvider()
    } else {
      if (!isProviderName(label)) throw new HostError('unavailable', `the run used an unknown provider '${label}'`)
      provider = await this.#provider(label, baseUrl)
    }
    const { tools: shared, gate } = await this.#tools()
    const mcp = await this.#runMcp(shared, workspace, label === DEMO_PROVIDER_LABEL)
    return { provider, providerLabel: label ?? provider.name, unsandboxed: false, tools: mcp.tools, mcp: mcp.report, gate }
  }

  /** The provider a run used, with the key this host has for it now. */
  async #providerOfRun(state: RunState): Promise<Provider> {
    const label = state.provider?.name ?? null
    if (label === DEMO_PROVIDER_LABEL) return this.#demoProvider()
    if (label === null || !isProviderName(label)) throw new HostError('unavailable', `the run used an unknown provider '${label}'`)
    return this.#provider(label, state.provider?.baseUrl ?? '')
  }

  /** The run index, one listing at a time; only `workspace`'s runs unless null. */
  async #listings(workspace: string | null): Promise<RunListing[]> {
    const listed = this.#listing.catch(() => undefined).then(() => listRuns(this.options.dataDir))
    this.#listing = listed
    const listings = await listed
    return workspace === null ? listings : listings.filter((run) => run.workspace === workspace)
  }

  async #listRuns(workspace: string | null): Promise<RunListItem[]> {
    const filtered = await this.#listings(workspace)
    return Promise.all(
      filtered.map(async (run) => {
        const head = await this.#heads.of(run.id, run.path)
        return {
          id: run.id,
          workspace: run.workspace,
          title: head.title,
          model: run.model,
          provider: head.provider,
          status: run.status,
          running: this.runs.isRunning(run.id),
          waitingApprovals: this.runs.waitingApprovals(run.id),
          startedAt: run.startedAt,
          durationMs: run.durationMs
        }
      })
    )
  }

  /** The run's replay index, up to date with its log. */
  async #replay(runId: string, onProgress?: (progress: FoldProgress) => void): ReturnType<ReplayIndexes['open']> {
    try {
      return await this.runs.replays.open(runId, onProgress)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new HostError('not_found', `no run ${runId}`)
      throw error
    }
  }

  #handlers: Handlers = {
    getAppInfo: () => this.#appInfo(),
    getSettings: () => this.#settingsView(),
    updateSettings: async (patch) => {
      await this.#settings.update(patch)
      return this.#settingsView()
    },
    setApiKey: async ({ provider, key }) => {
      if (this.options.keys.kind === null) {
        throw new HostError('unavailable', `this system offers no safe place to save a key: set ${PROVIDERS[provider].keyVariable} instead`)
      }
      await this.options.keys.write(provider, key)
      return this.#settingsView()
    },
    clearApiKey: async ({ provider }) => {
      if (this.options.keys.kind !== null) await this.options.keys.remove(provider)
      return this.#settingsView()
    },
    listRecentRepos: async () =>
      Promise.all(this.#settings.current.recentRepos.map((repo) => describeRepo(repo.path, repo.openedAt))),
    openRepo: async ({ path }) => {
      const real = await resolveFolder(path, this.options.dataDir.root)
      const openedAt = Date.now()
      await this.#settings.rememberRepo(real, openedAt)
      return describeRepo(real, openedAt)
    },
    pickFolder: async () => {
      if (!this.options.pickFolder) throw new HostError('unavailable', 'no folder picker here: type the folder\'s path')
      return { path: await this.options.pickFolder() }
    },
    listRuns: ({ workspace }) => this.#listRuns(workspace),
    searchRuns: async ({ query, workspace }) => this.#search.search(query, await this.#listings(workspace)),
    startRun: async ({ workspace, task, model, worktree }) => {
      const real = await resolveFolder(workspace, this.options.dataDir.root)
      const runId = await this.runs.start(real, task, false, model, worktree ?? false)
      await this.#settings.rememberRepo(real, Date.now())
      return { runId }
    },
    startDemo: async () => {
      const demo = await this.#demoModel()
      const workspace = await prepareDemoWorkspace(this.options.resourcesDir, demoParentDir(this.options.dataDir))
      const runId = await this.runs.start(workspace, demo.task, true)
      return { runId, workspace }
    },
    subscribeRun: ({ runId }, client) => client.subscribe(runId),
    unsubscribeRun: async ({ runId }, client) => {
      client.unsubscribe(runId)
      return null
    },
    openReplay: async ({ runId }, client) => {
      const { summary } = await this.#replay(runId, ({ loadedBytes, totalBytes }) =>
        client.send({ type: 'replay.indexing', runId, loadedBytes, totalBytes })
      )
      return { runId, records: summary.records, bytes: summary.bytes, log: summary.health }
    },
    getReplayRecords: async ({ runId, from, to }) => {
      const { index } = await this.#replay(runId)
      return { runId, from, records: await index.records(from, to) }
    },
    getReplayState: async ({ runId, position }) => {
      const { index, summary } = await this.#replay(runId)
      if (position >= summary.records) throw new HostError('invalid_request', `the run has ${summary.records} records: no position ${position}`)
      const window = await index.windowAt(position)
      return { runId, position, state: window.state, leftOut: window.leftOut }
    },
    steer: async ({ runId, text }) => {
      await this.runs.steer(runId, text)
      return null
    },
    followUp: async ({ runId, text }) => {
      await this.runs.followUp(runId, text)
      return null
    },
    interrupt: async ({ runId }) => {
      await this.runs.interrupt(runId)
      return null
    },
    resumeRun: async ({ runId }) => {
      await this.runs.resume(runId)
      return null
    },
    decideApproval: async (answer) => {
      await this.runs.decide(answer)
      return null
    },
    getChanges: ({ runId }) => this.#review.changes(runId),
    revertChange: ({ runId, path, hunk }) => this.#review.revert(runId, path, hunk),
    previewRewind: ({ runId, callId }) => this.#review.previewRewind(runId, callId),
    rewindRun: ({ runId, callId }) => this.#review.rewind(runId, callId),
    applyRun: ({ runId }) => this.#review.apply(runId),
    draftCommitMessage: async ({ runId }) => {
      const { state } = await this.runs.snapshot(runId)
      const files = await this.#review.changedFiles(runId)
      if (files.length === 0) throw new HostError('conflict', 'there are no changes to describe')
      try {
        return { message: await draftCommitMessage(await this.#providerOfRun(state), state.model ?? this.#settings.current.model, files) }
      } catch (error) {
        if (error instanceof DraftError) throw new HostError('unavailable', error.message)
        throw error
      }
    },
    commitChanges: ({ runId, message, newBranch }) => this.#review.commit(runId, message, newBranch),
    getArtifact: async ({ runId, callId }) => {
      const { state } = await this.runs.snapshot(runId)
      const artifactPath = state.toolCalls[callId]?.artifactPath
      if (!artifactPath) throw new HostError('not_found', `call ${callId} has no saved output`)
      return readArtifact(this.options.dataDir.artifacts(runId), artifactPath)
    },
    getProjectMcp: ({ workspace }) => this.#projectMcpView(workspace),
    approveProjectMcp: async ({ workspace, sha256 }) => {
      const real = await resolveFolder(workspace, this.options.dataDir.root)
      const project = await this.#projectMcp.read(real)
      if (project.state !== 'found' || project.sha256 !== sha256) {
        throw new HostError('conflict', "the repository's .mcp.json changed since it was shown: look at it again before allowing it")
      }
      await this.#projectMcp.approve(real, sha256)
      return this.#projectMcpView(real)
    },
    openExternal: async ({ url }) => {
      let parsed: URL
      try {
        parsed = new URL(url)
      } catch {
        throw new HostError('invalid_request', 'not a URL')
      }
      if (parsed.protocol !== 'https:') throw new HostError('invalid_request', 'only https links open outside the app')
      if (!this.options.openExternal) return { opened: false }
      await this.options.openExternal(parsed.toString())
      return { opened: true }
    },
    listWorkspaceFiles: async ({ workspace }) => {
      const real = await resolveFolder(workspace, this.options.dataDir.root)
      // Only a repository the person opened or a run worked in: the window cannot list any folder it names.
      const known = this.#settings.current.recentRepos.some((repo) => repo.path === real) || (await this.#listRuns(real)).length > 0
      if (!known) throw new HostError('not_found', `${real} is not an opened repository`)
      return listWorkspaceFiles(real)
    },
    notify: async ({ runId, title, body }, client) => {
      const shown = this.options.notify?.({ title, body }, () => client.send({ type: 'notification.clicked', runId })) ?? false
      return { shown }
    }
  }
}
