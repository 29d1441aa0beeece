// The app's shared state: the host link, settings, the repo in view, its runs, and the open run.
import type { AppInfo, HostEvent, RecentRepo, RunListItem, SettingsPatch, SettingsView } from '../../../src-main/common/api/contract'
import type { LinkState, TetherClient } from '../api/client'
import { RunSession } from './run-session.svelte'

export type RunTab = 'transcript' | 'changes' | 'metrics' | 'replay'
export type Overlay = 'settings' | 'shortcuts' | null

export class AppState {
  readonly client: TetherClient
  info = $state.raw<AppInfo | null>(null)
  settings = $state.raw<SettingsView | null>(null)
  link = $state.raw<LinkState>({ kind: 'connecting' })
  repos = $state.raw<RecentRepo[]>([])
  repo = $state.raw<RecentRepo | null>(null)
  runs = $state.raw<RunListItem[]>([])
  /** The open run; null shows the composer for a new run (or the welcome page without a repo). */
  session = $state.raw<RunSession | null>(null)
  tab = $state<RunTab>('transcript')
  overlay = $state<Overlay>(null)
  notice = $state<{ kind: 'error' | 'info'; text: string } | null>(null)
  #wasConnected = false

  constructor(client: TetherClient) {
    this.client = client
    client.onEvent((event) => this.#receive(event))
    client.onLink((state) => this.#onLink(state))
  }

  async load(): Promise<void> {
    const [info, settings, repos] = await Promise.all([
      this.client.call('getAppInfo', null),
      this.client.call('getSettings', null),
      this.client.call('listRecentRepos', null)
    ])
    this.info = info
    this.settings = settings
    this.repos = repos
    await this.refreshRuns()
  }

  async refreshRuns(): Promise<void> {
    const runs = await this.attempt(() => this.client.call('listRuns', { workspace: this.repo?.path ?? null }))
    if (runs) this.runs = runs
  }

  async openRepo(path: string): Promise<void> {
    const repo = await this.attempt(() => this.client.call('openRepo', { path }))
    if (!repo) return
    this.repo = repo
    this.repos = [repo, ...this.repos.filter((known) => known.path !== repo.path)]
    this.closeRun()
    await this.refreshRuns()
  }

  async pickFolder(): Promise<void> {
    const picked = await this.attempt(() => this.client.call('pickFolder', null))
    if (picked?.path) await this.openRepo(picked.path)
  }

  /** Shows all runs, of every repo. */
  async showAllRuns(): Promise<void> {
    this.repo = null
    await this.refreshRuns()
  }

  async openRun(runId: string, tab: RunTab = 'transcript'): Promise<void> {
    if (this.session?.runId === runId) {
      this.tab = tab
      return
    }
    this.closeRun()
    const session = new RunSession(this.client, runId)
    this.session = session
    this.tab = tab
    await session.open()
    const workspace = session.state.workspace
    if (workspace && this.repo?.path !== workspace) {
      this.repo = this.repos.find((repo) => repo.path === workspace) ?? { path: workspace, name: workspace.split('/').pop() ?? workspace, openedAt: 0, git: true }
      await this.refreshRuns()
    }
  }

  closeRun(): void {
    this.session?.close()
    this.session = null
  }

  async startRun(task: string): Promise<boolean> {
    const repo = this.repo
    if (!repo) return false
    const started = await this.attempt(() => this.client.call('startRun', { workspace: repo.path, task }))
    if (!started) return false
    await this.openRun(started.runId)
    return true
  }

  async startDemo(): Promise<void> {
    const started = await this.attempt(() => this.client.call('startDemo', null))
    if (!started) return
    await this.openRun(started.runId)
  }

  async updateSettings(patch: SettingsPatch): Promise<void> {
    const settings = await this.attempt(() => this.client.call('updateSettings', patch))
    if (settings) this.settings = settings
    await this.#refreshInfo()
  }

  async setApiKey(provider: SettingsView['provider'], key: string): Promise<boolean> {
    const settings = await this.attempt(() => this.client.call('setApiKey', { provider, key }))
    if (settings) this.settings = settings
    await this.#refreshInfo()
    return settings !== null
  }

  async clearApiKey(provider: SettingsView['provider']): Promise<void> {
    const settings = await this.attempt(() => this.client.call('clearApiKey', { provider }))
    if (settings) this.settings = settings
    await this.#refreshInfo()
  }

  async #refreshInfo(): Promise<void> {
    const info = await this.attempt(() => this.client.call('getAppInfo', null))
    if (info) this.info = info
  }

  /** Runs an API call for its effect; a failure becomes the notice the person sees. True on success. */
  async perform(action: () => Promise<unknown>): Promise<boolean> {
    try {
      await action()
      return true
    } catch (error) {
      this.notice = { kind: 'error', text: (error as Error).message }
      return false
    }
  }

  /** Runs an API call; a failure becomes the notice the person sees, and null. */
  async attempt<T>(action: () => Promise<T>): Promise<T | null> {
    try {
      return await action()
    } catch (error) {
      this.notice = { kind: 'error', text: (error as Error).message }
      return null
    }
  }

  #receive(event: HostEvent): void {
    if (event.type === 'runs.changed') {
      void this.refreshRuns()
      return
    }
    const runId = event.type === 'run.snapshot' ? event.snapshot.runId : event.runId
    if (this.session?.runId === runId) this.session.receive(event)
  }

  #onLink(state: LinkState): void {
    this.link = state
    if (state.kind !== 'connected') return
    // After a reconnect the host has forgotten this page's subscriptions: take fresh state.
    if (this.#wasConnected) {
      void this.load().catch(() => undefined)
      void this.session?.open()
    }
    this.#wasConnected = true
  }
}
