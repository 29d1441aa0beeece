// The run log vocabulary. One closed union: every line of a run log is exactly one of these.
import type { FunctionTool, InputItem, ServerEvent } from '../protocol/wire'
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

export interface RunSettings {
  transport: Transport
  store: boolean
  approvalMode: ApprovalMode
  networkAllowlist: string[]
  instructions: string
  /** What the run asked of a reasoning model; absent in logs written before it could ask. */
  reasoning?: ReasoningSettings
}

export type ToolCallStatus = 'ok' | 'error' | 'timeout' | 'interrupted' | 'denied'
export type ApprovalDecision = 'allow' | 'deny'
export type ApprovalScope = 'once' | 'run' | 'always'
export type RiskDecision = 'allow' | 'ask' | 'forbid'
export type UserInputKind = 'task' | 'steer' | 'interrupt'
export type TransportState = 'connecting' | 'connected' | 'reconnecting' | 'fell_back' | 'rotated' | 'disconnected'
export type RunOutcome = 'completed' | 'failed' | 'interrupted' | 'incomplete'

export interface RunStartedRecord {
  type: 'run.started'
  runId: string
  workspace: string
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

export interface LogRepairedRecord {
  type: 'log.repaired'
  truncatedBytes: number
  reason: string
}

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
  | LogRepairedRecord
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
  'log.repaired': true,
  'run.finished': true
}

/** Whether a log line's `type` names a record type. */
export function isRunRecordType(type: string): type is RunRecordType {
  return Object.hasOwn(RECORD_TYPES, type)
}

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`)
}
