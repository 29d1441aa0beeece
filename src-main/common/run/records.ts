// The run log vocabulary. One closed union: every line of a run log is exactly one of these.
import type { FunctionTool, InputItem, ServerEvent, Usage } from '../protocol/wire'
import type { ProtocolError } from '../protocol/parse-server-frame'
import type { ErrorClassName } from '../providers/error-classes'
import type { ReasoningSettings } from '../providers/reasoning'
import type { ApprovalMode } from './approval-modes'
import type { ToolView } from './tool-view'

export const RUN_LOG_VERSION = 1

export type Transport = 'ws' | 'sse'
export type { ApprovalMode }

export interface ProviderInfo {
  /** `openai`, `xai`, `custom` or `sim`. Never carries a key. */
  name: string
  baseUrl: string
}

/** An AGENTS.md the run's instructions were built from (or that was present and refused). */
export interface InstructionFileInfo {
  /** `personal`: the person's own, in Tether's data dir; `workspace`: the repository's. */
  scope: 'personal' | 'workspace'
  path: string
  /** The file's size. */
  bytes: number
  /** How much of it the model gets (a file over the cap is cut). */
  includedBytes: number
  truncated: boolean
  /** Why a file that exists was not read (a symbolic link, a FIFO, ...); null when it was. */
  refused: string | null
}

/** An MCP server the run's tools came from, or that could not start. */
export interface McpServerInfo {
  name: string
  /** `personal`: the person's own config; `workspace`: the repository's `.mcp.json`, approved by the person. */
  source: 'personal' | 'workspace'
  transport: 'stdio' | 'http'
  /** Stdio servers run in the OS sandbox; HTTP servers are remote. */
  sandboxed: boolean
  /** The function names its tools were offered as. */
  tools: string[]
  /** Why it offers no tools (it did not start, ...); null when it runs. */
  problem: string | null
}

export interface RunSettings {
  transport: Transport
  store: boolean
  approvalMode: ApprovalMode
  networkAllowlist: string[]
  /** The whole text sent as `instructions`, project instruction files included. */
  instructions: string
  /** What the run asked of a reasoning model; absent in logs written before it could ask. */
  reasoning?: ReasoningSettings
  /** Absent in logs written before project instructions existed. */
  instructionFiles?: InstructionFileInfo[]
  /** MCP servers and what could not be used of their configs; absent when the run had none. */
  mcp?: { servers: McpServerInfo[]; problems: string[] }
  /** The model's context window in tokens, as the run knew it (from the model table or the person); null when unknown. */
  contextWindow?: number | null
}

export type ToolCallStatus = 'ok' | 'error' | 'timeout' | 'interrupted' | 'denied'
export type ApprovalDecision = 'allow' | 'deny'
export type ApprovalScope = 'once' | 'run' | 'always'
export type RiskDecision = 'allow' | 'ask' | 'forbid'
export type UserInputKind = 'task' | 'steer' | 'interrupt'
export type TransportState = 'connecting' | 'connected' | 'reconnecting' | 'fell_back' | 'rotated' | 'disconnected'
export type RunOutcome = 'completed' | 'failed' | 'interrupted' | 'incomplete'

/** Where a run's own git worktree came from (`tether run --worktree`, or "new worktree" in the app). */
export interface WorktreeInfo {
  /** The person's repository (its working tree is never touched by the run). */
  repo: string
  /** The run's branch, `tether/<run id>`. */
  branch: string
  /** The commit the worktree started from. */
  baseCommit: string
}

export interface RunStartedRecord {
  type: 'run.started'
  runId: string
  workspace: string
  /** Set when the workspace is a worktree made for this run. */
  worktree?: WorktreeInfo
  provider: ProviderInfo
  model: string
  settings: RunSettings
  tools: FunctionTool[]
  /** How the app labels each tool's calls (absent in logs from before tools declared it). */
  toolViews?: Record<string, ToolView>
}

/** The settings a person may change when a run is resumed, and its model. */
export type SettingsChange = Partial<Pick<RunSettings, 'transport' | 'store' | 'approvalMode' | 'networkAllowlist'> & { model: string; reasoning: ReasoningSettings }>

/** Appended when a run continues after a crash, a restart or `tether run --resume`. */
export interface RunResumedRecord {
  type: 'run.resumed'
  reason: string
  /** What the person changed for the rest of the run (absent when nothing changed). */
  changed?: SettingsChange
  /** The run's shell is a new one: what earlier commands left in it (cd, export) is gone, and the model is told so. */
  freshShell?: true
}

export interface RequestSentRecord {
  type: 'request.sent'
  turn: number
  transport: Transport
  /** `incremental` sends only new items with `previous_response_id`; `full` resends the transcript. */
  mode: 'incremental' | 'full'
  previousResponseId: string | null
  input: InputItem[]
  bytes: number
}

/** A request the server refused before any response existed (HTTP status, upgrade refusal, send failure). */
export interface RequestFailedRecord {
  type: 'request.failed'
  turn: number
  status: number | null
  code: string | null
  message: string
  retryable: boolean
}

/** A failed attempt that will be tried again after `delayMs` (rate limits, overload, server errors). */
export interface RetryScheduledRecord {
  type: 'retry.scheduled'
  turn: number
  errorClass: ErrorClassName
  code: string | null
  message: string
  delayMs: number
  /** The server named the delay (`retry-after`, `retry-after-ms`, `x-ratelimit-reset-*`). */
  serverDelay: boolean
  attempt: number
  maxAttempts: number
}

/** The server's event as it arrived, except that a response object leaves out its echo of the request (see request-echo.ts). */
export interface ServerEventRecord {
  type: 'server.event'
  event: ServerEvent
}

export interface ServerMalformedRecord {
  type: 'server.malformed'
  error: ProtocolError
}

export interface ToolStartedRecord {
  type: 'tool.started'
  callId: string
  name: string
  arguments: string
}

/** Raw output as produced (PTY bytes as text), for the terminal view. Bounded per call by the writer. */
export interface ToolOutputRecord {
  type: 'tool.output'
  callId: string
  data: string
}

export interface ToolFinishedRecord {
  type: 'tool.finished'
  callId: string
  status: ToolCallStatus
  exitCode: number | null
  /** Exactly what the model receives as `function_call_output.output`. */
  output: string
  durationMs: number
  artifactPath: string | null
}

export interface ApprovalRequestedRecord {
  type: 'approval.requested'
  callId: string
  tool: string
  /** What the person is asked about, e.g. the command line. */
  subject: string
  risk: RiskDecision
  reasons: string[]
  subcommands: string[]
  sandboxed: boolean
  /** The token-prefix rule "always" would save, shown before it is saved. */
  suggestedRule: string[] | null
}

export interface ApprovalDecidedRecord {
  type: 'approval.decided'
  callId: string
  decision: ApprovalDecision
  scope: ApprovalScope
  /** For a denial: what the model is told. */
  message: string | null
  /** The rule that decided it, or that was saved with `always`. */
  rule: string[] | null
  /** `person` when asked, `rule` or `mode` when decided without asking. */
  by: 'person' | 'rule' | 'mode'
}

export interface UserInputRecord {
  type: 'user.input'
  kind: UserInputKind
  text: string
}

export interface TransportChangedRecord {
  type: 'transport.changed'
  state: TransportState
  transport: Transport
  attempt: number | null
  maxAttempts: number | null
  reason: string | null
}

export interface TurnMetricsRecord {
  type: 'metrics.turn'
  turn: number
  transport: Transport
  mode: 'incremental' | 'full'
  bytesSent: number
  /** From the request leaving to the first server event. */
  firstEventMs: number | null
  durationMs: number
}

export interface ToolMetricsRecord {
  type: 'metrics.tool'
  callId: string
  /** Milliseconds from the model's `output_item.done` for the call. */
  startedAfterMs: number
  finishedAfterMs: number
  outputSentAfterMs: number | null
  approvalWaitMs: number
  hostWaitMs: number
  runMs: number
}

/**
 * The conversation was compacted: from now on a full resend replaces the timeline before
 * `throughTimeline` with the person's own messages (the task and what they said since) followed
 * by `replacement`. The instructions are sent with every request and are never compacted; tool
 * calls from `throughTimeline` on, the pending ones included, are kept as they are.
 */
export interface ContextCompactedRecord {
  type: 'context.compacted'
  /** `server`: the provider compacted inside a response (`context_management`); `summary`: a summarising request Tether made. */
  method: 'server' | 'summary'
  throughTimeline: number
  /** The compaction item (server) is already on the timeline, so this is empty; a summary is one message. */
  replacement: InputItem[]
  /** The context size (tokens) that set it off, and the estimated size after. */
  tokensBefore: number | null
  tokensAfter: number | null
  /** What the summarising request used (null for server compaction: it is in that response's usage). */
  usage: Usage | null
  reason: string
}

/** Token use and estimated cost when the run stops, for readers of the log that do not fold it (`tether run --json`). */
export interface UsageMetricsRecord {
  type: 'metrics.usage'
  /** The tokens the next request would start from, and how many the server had cached. */
  contextTokens: number | null
  cachedTokens: number | null
  windowTokens: number | null
  inputTokens: number
  outputTokens: number
  /** From the model table; null for a model without a price. */
  costUsd: number | null
}

export interface LogRepairedRecord {
  type: 'log.repaired'
  truncatedBytes: number
  reason: string
}

/**
 * Tether's own copy of the workspace was taken around a call that may change files (see the
 * snapshot store): `before` as the call's write-ahead checkpoint, `after` once it ended.
 */
export interface CheckpointSavedRecord {
  type: 'checkpoint.saved'
  callId: string
  phase: 'before' | 'after'
  /** False when no checkpoint could be kept (see `notes`): the call cannot be rewound. */
  kept: boolean
  /** Paths changed since the checkpoint before this one (for `after`: what the call changed), at most CHECKPOINT_PATHS_CAP. */
  changed: string[]
  changedCount: number
  /** Why a checkpoint read the whole workspace, files too big to keep, and the like. */
  notes: string[]
}

/** The workspace's files were put back as they were before a call (`tether rewind`, or the app). */
export interface WorkspaceRewoundRecord {
  type: 'workspace.rewound'
  beforeCallId: string
  /** Paths written, created or deleted, at most CHECKPOINT_PATHS_CAP. */
  changed: string[]
  changedCount: number
  /** Paths that could not be put back, with why. */
  failed: { path: string; reason: string }[]
}

export const CHECKPOINT_PATHS_CAP = 200

export interface RunFinishedRecord {
  type: 'run.finished'
  outcome: RunOutcome
  reason: string | null
}

export type RunRecordBody =
  | RunStartedRecord
  | RunResumedRecord
  | RequestSentRecord
  | RequestFailedRecord
  | RetryScheduledRecord
  | ServerEventRecord
  | ServerMalformedRecord
  | ToolStartedRecord
  | ToolOutputRecord
  | ToolFinishedRecord
  | ApprovalRequestedRecord
  | ApprovalDecidedRecord
  | UserInputRecord
  | TransportChangedRecord
  | TurnMetricsRecord
  | ToolMetricsRecord
  | ContextCompactedRecord
  | UsageMetricsRecord
  | LogRepairedRecord
  | CheckpointSavedRecord
  | WorkspaceRewoundRecord
  | RunFinishedRecord

export type RunRecordType = RunRecordBody['type']

/** The envelope every line carries. `ts` is stamped by the writer (ms since epoch), never by the reducer. */
export interface RecordEnvelope {
  v: typeof RUN_LOG_VERSION
  seq: number
  ts: number
}

export type RunRecord = RecordEnvelope & RunRecordBody

/** Every record type (where each is synced: sync-point.ts). */
const RECORD_TYPES: Record<RunRecordType, true> = {
  'run.started': true,
  'run.resumed': true,
  'request.sent': true,
  'request.failed': true,
  'retry.scheduled': true,
  'server.event': true,
  'server.malformed': true,
  'tool.started': true,
  'tool.output': true,
  'tool.finished': true,
  'approval.requested': true,
  'approval.decided': true,
  'user.input': true,
  'transport.changed': true,
  'metrics.turn': true,
  'metrics.tool': true,
  'context.compacted': true,
  'metrics.usage': true,
  'log.repaired': true,
  'checkpoint.saved': true,
  'workspace.rewound': true,
  'run.finished': true
}

/** Whether a log line's `type` names a record type. */
export function isRunRecordType(type: string): type is RunRecordType {
  return Object.hasOwn(RECORD_TYPES, type)
}

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`)
}
