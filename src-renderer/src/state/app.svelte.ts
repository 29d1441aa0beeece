// The app's shared state: the host link, settings, the repo in view, its runs, and the open run.
import type { AppInfo, HostEvent, RecentRepo, RunListItem, SettingsPatch, SettingsView } from '../../../src-main/common/api/contract'
import type { LinkState, TetherClient } from '../api/client'
import { changesBetween, looksAt, needsOf, type Need, type Presence } from '../lib/attention'
import { oneLine } from '../lib/one-line'
import { notifications } from './notifications.svelte'
import { LiveRun } from './live-run.svelte'

export type RunTab = 'transcript' | 'changes' | 'metrics' | 'replay'
export type Overlay = 'settings' | 'shortcuts' | null

export class AppState {
  readonly client: TetherClient
  info = $state.raw<AppInfo | null>(null)
  settings = $state.raw<SettingsView | null>(null)
  link = $state.raw<LinkState>({ kind: 'connecting' })
  repos = $state.raw<RecentRepo[]>([])
  repo = $state.raw<RecentRepo | null>(null)
  /** Every run of every repo: what needs the person is counted over all of them. */
  allRuns = $state.raw<RunListItem[]>([])
  /** The runs the list shows: the open repo's, or all. */
  runs = $derived(this.repo ? this.allRuns.filter((run) => run.workspace === this.repo?.path) : this.allRuns)
  /** The page is visible and has focus: the person can see the run in view. */
  present = $state(true)
  /** Runs that finished while the person was elsewhere and that they have not opened since. */
  finishedUnseen = $state.raw<ReadonlySet<string>>(new Set())
  /** What each run needs from the person (runs that need nothing are absent). */
  needs = $derived<Map<string, Need>>(needsOf(this.allRuns, this.presence, this.finishedUnseen))
  /** The open run; null shows the composer for a new run (or the welcome page without a repo). */
  session = $state.raw<LiveRun | null>(null)
  tab = $state<RunTab>('transcript')
  overlay = $state<Overlay>(null)
  notice = $state<{ kind: 'error' | 'info'; text: string } | null>(null)
  #wasConnected = false
  /** The runs have been listed once: later listings are compared with the one before. */
  #listed = false

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
    notifications.setHost(info.host)
    this.settings = settings
    this.repos = repos
    await this.refreshRuns()
  }

  get presence(): Presence {
    return { runId: this.session?.runId ?? null, present: this.present }
  }

  async refreshRuns(): Promise<void> {
    const runs = await this.attempt(() => this.client.call('listRuns', { workspace: null }))
    if (!runs) return
    const changes = this.#listed ? changesBetween(this.allRuns, runs) : []
    this.#listed = true
    this.allRuns = runs
    for (const change of changes) this.#heard(change.runId, change.need)
  }

  /** Follows whether the page is visible and focused; returns the cleanup. */
  watchPresence(): () => void {
    const update = (): void => {
      this.present = document.visibilityState === 'visible' && document.hasFocus()
      this.#markSeen()
    }
    update()
    window.addEventListener('focus', update)
    window.addEventListener('blur', update)
    document.addEventListener('visibilitychange', update)
    return () => {
      window.removeEventListener('focus', update)
      window.removeEventListener('blur', update)
      document.removeEventListener('visibilitychange', update)
    }
  }

  /** A run started waiting for the person or finished: mark it and tell them, unless they are looking at it. */
  #heard(runId: string, need: Need): void {
    if (looksAt(this.presence, runId)) return
    if (need === 'finished') this.finishedUnseen = new Set([...this.finishedUnseen, runId])
    const run = this.allRuns.find((listed) => listed.id === runId)
    const outcome = run?.status === 'failed' ? 'failed' : 'finished'
    const title = need === 'approval' ? 'A run needs your approval' : `A run ${outcome}`
    const body = oneLine(run?.title ?? runId, 300) || runId
    void notifications.show(this.client, { runId, title, body }, () => void this.openRun(runId))
  }

  /** The person sees the run in view: it no longer counts as finished unseen. */
  #markSeen(): void {
    const runId = this.session?.runId
    if (!runId || !this.present || !this.finishedUnseen.has(runId)) return
    const rest = new Set(this.finishedUnseen)
    rest.delete(runId)
    this.finishedUnseen = rest
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
    const session = new LiveRun(this.client, runId)
    this.session = session
    this.tab = tab
    this.#markSeen()
    await session.open()
    const workspace = session.state.workspace
    if (workspace && this.repo?.path !== workspace) {
      this.repo = this.repos.find((repo) => repo.path === workspace) ?? { path: workspace, name: workspace.split('/').pop() ?? workspace, openedAt: 0, git: true }
    }
  }

  closeRun(): void {
    this.session?.close()
    this.session = null
  }

  /**
   * Starts a run of `task` in the open repo; `model` overrides the settings' model for this run,
   * `worktree` runs it in a new git worktree of the repo.
   */
  async startRun(task: string, model?: string, worktree = false): Promise<boolean> {
    const repo = this.repo
    if (!repo) return false
    const chosen = model?.trim()
    const params = {
      workspace: repo.path,
      task,
      ...(chosen && chosen !== this.settings?.model ? { model: chosen } : {}),
      ...(worktree ? { worktree } : {})
    }
    const started = await this.attempt(() => this.client.call('startRun', params))
    if (!started) return false
    await this.openRun(started.runId)
    return true
  }

  /** The files of `workspace` the person can mention with `@`. */
  async workspaceFiles(workspace: string): Promise<string[]> {
    const listed = await this.attempt(() => this.client.call('listWorkspaceFiles', { workspace }))
    return listed?.files ?? []
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
    if (event.type === 'notification.clicked') {
      window.focus()
      void this.openRun(event.runId)
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
