// The one API between the renderer and a host (Electron main or the browser-mode server): named
// request/response methods plus one stream of host events. Everything here is plain JSON, so the
// same contract runs over Electron IPC and over the browser-mode WebSocket.
import type { ApprovalDecision, ApprovalMode, ApprovalScope, RunOutcome, RunRecord, Transport } from '../run/records'
import type { MetricsSummary } from '../run/metrics-summary'
import type { RunState } from '../run/state'
import type { ContextMeter } from '../usage/context-meter'
import type { ProviderName } from '../providers/providers'
import type { ReasoningEffort, ReasoningSummary } from '../providers/reasoning'

export type HostKind = 'electron' | 'browser'
export type ProviderChoice = ProviderName

export interface AppInfo {
  host: HostKind
  version: string
  dataDir: string
  /** A native folder picker exists; elsewhere the UI asks for a path. */
  folderPicker: boolean
  /** The chosen provider has a key. Without one the UI offers the scripted demo first. */
  keyConfigured: boolean
  /** The built-in scripted demo (the sim with its `demo` scenario) can run here. */
  demoAvailable: boolean
}

export interface KeyStatus {
  configured: boolean
  /** `env`: from an environment variable; `stored`: saved by the host. Never the key itself. */
  source: 'env' | 'stored' | null
}

export interface SettingsView {
  provider: ProviderChoice
  /** The base URL runs use: the provider's default, or the custom one. */
  baseUrl: string
  model: string
  transport: Transport
  approvalMode: ApprovalMode
  networkAllowlist: string[]
  /** null: the model's default effort. */
  reasoningEffort: ReasoningEffort | null
  /** null: the provider's default (PROVIDERS[provider].defaultReasoningSummary). */
  reasoningSummary: ReasoningSummary | null
  keys: Record<ProviderChoice, KeyStatus>
  /** Where a saved key goes: the OS keychain (`os`), a 0600 file (`file`), or nowhere (`null`: use env). */
  keyStorage: 'os' | 'file' | null
  /** The person's own MCP servers, as `.mcp.json` text ('' for none). */
  mcpConfig: string
  /** What in `mcpConfig` cannot be used, one line each. */
  mcpConfigProblems: string[]
}

export type SettingsPatch = Partial<
  Pick<SettingsView, 'provider' | 'baseUrl' | 'model' | 'transport' | 'approvalMode' | 'networkAllowlist' | 'reasoningEffort' | 'reasoningSummary' | 'mcpConfig'>
>

/** A repository's `.mcp.json` as the person is asked about it. */
export type ProjectMcpView =
  | { state: 'absent' }
  | { state: 'unusable'; problem: string }
  | {
      state: 'found'
      /** The approval is for exactly this content. */
      sha256: string
      approved: boolean
      /** Every server it would start or reach: name and command line, or name and URL. */
      servers: string[]
      problems: string[]
    }

export interface RecentRepo {
  path: string
  name: string
  openedAt: number
  git: boolean
}

export interface RunListItem {
  id: string
  workspace: string | null
  /** The task the run started with. */
  title: string | null
  model: string | null
  /** The provider label from the log; `sim` marks the scripted demo. */
  provider: string | null
  status: RunOutcome | 'unfinished'
  /** This host is running it right now. */
  running: boolean
  /** Approvals it is waiting on right now (0 for a run this host does not hold). */
  waitingApprovals: number
  startedAt: number | null
  durationMs: number | null
}

/** What a renderer gets when it opens a run: the folded state, then the records that follow. */
/** What of a run's log could not be read: reported to the person, never dropped in silence. */
export interface RunLogHealth {
  /** Lines that could not be read (damaged, out of order), the first few in full. */
  problems: { line: number; reason: string }[]
  problemCount: number
  /** Bytes after the last complete line: a record the writer did not finish, not part of the state. */
  tornTailBytes: number
}

export interface RunSnapshot {
  runId: string
  /** The run's state, or for a very long run its latest RUN_VIEW_ENTRIES transcript entries (see run-view.ts). */
  state: RunState
  /** Transcript entries before the ones `state` holds (Replay shows them). */
  leftOut: number
  /** What the whole run adds up to, when `state` is a window of it; null when `state` is whole. */
  totals: RunTotals | null
  running: boolean
  log: RunLogHealth
}

/** A windowed run's figures, from its whole state: cost, metrics and its task. */
export interface RunTotals {
  meter: ContextMeter
  metrics: MetricsSummary
  task: string | null
}

/** Records a replay page holds at most. */
export const REPLAY_PAGE_MAX = 500

/** A run's log as a replay sees it: how many records, and what could not be read. */
export interface ReplayView {
  runId: string
  records: number
  bytes: number
  log: RunLogHealth
}

/** Records [from, from + records.length) of a run, in log order. */
export interface ReplayPage {
  runId: string
  from: number
  records: RunRecord[]
}

/** The state after records 0..position (-1: before the first), as its latest transcript entries (see replay-window.ts). */
export interface ReplayStateView {
  runId: string
  position: number
  state: RunState
  /** Transcript entries before the ones `state` holds. */
  leftOut: number
}

export interface ChangedFile {
  path: string
  /** For a rename: where the same content was before. */
  oldPath: string | null
  status: 'added' | 'modified' | 'deleted' | 'renamed'
  /** What is at the path (now, or before for a deletion). */
  kind: 'file' | 'link' | 'dir'
  additions: number
  deletions: number
  /** The text before and after, for the diff; null when there is none, or it is binary, too big or not kept (see `note`). */
  before: string | null
  after: string | null
  /** Permission bits before and after, e.g. 0o644; null where there is no file. */
  modeBefore: number | null
  modeAfter: number | null
  /** Why there is no text diff, or what else changed (a link's target). */
  note: string | null
}

export type ChangesView =
  | {
      available: true
      /** The workspace as the run found it, from Tether's own snapshot (never from git's index). */
      baseline: 'run-start'
      files: ChangedFile[]
      /** Some files' texts were left out to keep the view small (their `note` says so). */
      truncated: boolean
    }
  | { available: false; reason: string }

/** A hunk, as the diff of one changed file names it (line ranges before and after). */
export interface HunkRef {
  oldStart: number
  oldLines: number
  newStart: number
  newLines: number
}

export interface RewindStepView {
  path: string
  /** `restore`, `create`, `delete`, `mode`, `relink` or `replace`. */
  action: string
}

export interface RewindPreview {
  callId: string
  steps: RewindStepView[]
  /** Paths the checkpoint names but cannot bring back. */
  unrestorable: { path: string; reason: string }[]
}

export interface RewindResult {
  changed: string[]
  failed: { path: string; reason: string }[]
}

export interface ArtifactView {
  text: string
  bytes: number
  truncated: boolean
}

export interface RunSearchHit {
  runId: string
  /** Where it matched: the task, a later message of the person, an answer, or a command. */
  field: 'task' | 'message' | 'answer' | 'command'
  /** The text around the match, on one line. */
  snippet: string
}

export interface WorkspaceFiles {
  /** Workspace-relative paths with `/`, sorted. */
  files: string[]
  /** More files exist than were listed. */
  truncated: boolean
}

export interface ApprovalAnswer {
  runId: string
  callId: string
  decision: ApprovalDecision
  scope: ApprovalScope
  /** For a denial: what the model is told. */
  message: string | null
}

type RunRef = { runId: string }

/** Every method: its params and its result. */
export interface ApiMethods {
  getAppInfo: { params: null; result: AppInfo }
  getSettings: { params: null; result: SettingsView }
  updateSettings: { params: SettingsPatch; result: SettingsView }
  setApiKey: { params: { provider: ProviderChoice; key: string }; result: SettingsView }
  clearApiKey: { params: { provider: ProviderChoice }; result: SettingsView }
  listRecentRepos: { params: null; result: RecentRepo[] }
  openRepo: { params: { path: string }; result: RecentRepo }
  pickFolder: { params: null; result: { path: string | null } }
  listRuns: { params: { workspace: string | null }; result: RunListItem[] }
  /** Runs whose task, messages, answers or commands contain `query` (case folded), newest first. */
  searchRuns: { params: { query: string; workspace: string | null }; result: RunSearchHit[] }
  /**
   * `model`: this run's model, instead of the one in the settings. `worktree`: run in a new git
   * worktree of the repository, on branch `tether/<run id>`.
   */
  startRun: { params: { workspace: string; task: string; model?: string; worktree?: boolean }; result: RunRef }
  startDemo: { params: null; result: RunRef & { workspace: string } }
  subscribeRun: { params: RunRef; result: RunSnapshot }
  unsubscribeRun: { params: RunRef; result: null }
  /** Indexes the run's log (progress as `replay.indexing` events), or brings its index up to date. */
  openReplay: { params: RunRef; result: ReplayView }
  /** Records [from, to) of an opened replay; at most REPLAY_PAGE_MAX. */
  getReplayRecords: { params: RunRef & { from: number; to: number }; result: ReplayPage }
  getReplayState: { params: RunRef & { position: number }; result: ReplayStateView }
  steer: { params: RunRef & { text: string }; result: null }
  followUp: { params: RunRef & { text: string }; result: null }
  interrupt: { params: RunRef; result: null }
  resumeRun: { params: RunRef; result: null }
  decideApproval: { params: ApprovalAnswer; result: null }
  getChanges: { params: RunRef; result: ChangesView }
  /** Puts one hunk (or, with `hunk: null`, the whole file) back as the run found it, on disk. */
  revertChange: { params: RunRef & { path: string; hunk: HunkRef | null }; result: ChangesView }
  previewRewind: { params: RunRef & { callId: string }; result: RewindPreview }
  rewindRun: { params: RunRef & { callId: string }; result: RewindResult }
  /** Brings a worktree run's changes into the person's working tree, uncommitted; refused whole on any conflict. */
  applyRun: { params: RunRef; result: { applied: string[] } }
  /** A commit message for the run's changes, drafted by the run's model (one request, outside the run). */
  draftCommitMessage: { params: RunRef; result: { message: string } }
  /** Commits the run's changes (only its paths) on the current branch, or on a new branch; never pushes. */
  commitChanges: { params: RunRef & { message: string; newBranch: string | null }; result: { commit: string; branch: string; paths: string[] } }
  getArtifact: { params: RunRef & { callId: string }; result: ArtifactView }
  openExternal: { params: { url: string }; result: { opened: boolean } }
  /** A desktop notification about a run; a click comes back as `notification.clicked`. Browser mode has none (the page uses the web Notification API). */
  notify: { params: RunRef & { title: string; body: string }; result: { shown: boolean } }
  /** The files of an opened repository the person can mention with `@` (.gitignore respected; bounded). */
  listWorkspaceFiles: { params: { workspace: string }; result: WorkspaceFiles }
  getProjectMcp: { params: { workspace: string }; result: ProjectMcpView }
  approveProjectMcp: { params: { workspace: string; sha256: string }; result: ProjectMcpView }
}

export type MethodName = keyof ApiMethods
export type ParamsOf<M extends MethodName> = ApiMethods[M]['params']
export type ResultOf<M extends MethodName> = ApiMethods[M]['result']

/** The allowlist: a host answers these and nothing else. A Record, so a new method cannot be left out. */
const METHODS: Record<MethodName, true> = {
  getAppInfo: true,
  getSettings: true,
  updateSettings: true,
  setApiKey: true,
  clearApiKey: true,
  listRecentRepos: true,
  openRepo: true,
  pickFolder: true,
  listRuns: true,
  searchRuns: true,
  startRun: true,
  startDemo: true,
  subscribeRun: true,
  unsubscribeRun: true,
  openReplay: true,
  getReplayRecords: true,
  getReplayState: true,
  steer: true,
  followUp: true,
  interrupt: true,
  resumeRun: true,
  decideApproval: true,
  getChanges: true,
  revertChange: true,
  previewRewind: true,
  rewindRun: true,
  applyRun: true,
  draftCommitMessage: true,
  commitChanges: true,
  getArtifact: true,
  openExternal: true,
  notify: true,
  listWorkspaceFiles: true,
  getProjectMcp: true,
  approveProjectMcp: true
}

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[]

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.hasOwn(METHODS, value)
}

/** Pushed by the host. `run.records` carries the records of a subscribed run, batched. */
export type HostEvent =
  | { type: 'run.records'; runId: string; records: RunRecord[] }
  /** A fresh state for a subscribed run, e.g. when it was resumed: replaces what the renderer holds. */
  | { type: 'run.snapshot'; snapshot: RunSnapshot }
  /** The run loop started or stopped in this host; `error` when it stopped on a fault, not an outcome. */
  | { type: 'run.activity'; runId: string; running: boolean; error: string | null }
  /** A subscribed run's log is being folded (a long log opens progressively). */
  | { type: 'run.loading'; runId: string; loadedBytes: number; totalBytes: number }
  /** A replay's index is being built (`openReplay` of a long log). */
  | { type: 'replay.indexing'; runId: string; loadedBytes: number; totalBytes: number }
  | { type: 'runs.changed' }
  /** The person clicked the desktop notification this page asked for. */
  | { type: 'notification.clicked'; runId: string }

export type ApiErrorCode = 'invalid_request' | 'not_found' | 'conflict' | 'unavailable' | 'unauthorized' | 'internal'

export interface ApiError {
  code: ApiErrorCode
  message: string
}

export type ApiReply<T> = { ok: true; result: T } | { ok: false; error: ApiError }
