// RunState: everything the UI, resume and replay need, folded from run records by `reduce`.
// Plain JSON only (it crosses process boundaries), normalized by key, never mutated.
import type { FunctionTool, InputItem, OutputItem, ResponseStatus, Usage } from '../protocol/wire'
import type { ErrorClassName } from '../providers/error-classes'
import type { ToolView } from './tool-view'
import type {
  ApprovalDecision,
  ApprovalScope,
  ProviderInfo,
  RiskDecision,
  RunOutcome,
  RunSettings,
  ToolCallStatus,
  Transport,
  WorktreeInfo,
  TransportState,
  UserInputKind
} from './records'

/** `dropped`: the connection or the process went away mid-stream; its partial output is not context. */
export type ResponseViewStatus = ResponseStatus | 'dropped'

export interface ResponseView {
  /** The API id; null while a sparse stream has not named its response yet. */
  id: string | null
  turn: number | null
  status: ResponseViewStatus
  previousResponseId: string | null
  /** Item keys by `output_index`. */
  itemKeys: string[]
  usage: Usage | null
  error: { code: string | null; message: string } | null
  incompleteReason: string | null
  /** Its terminal event arrived (an `error` alone ends a response without one; usage comes with it). */
  ended: boolean
}

export interface PartView {
  type: 'output_text' | 'refusal'
  text: string
}

interface ItemBase {
  key: string
  /** The API item id (`msg_…`, `fc_…`, `rs_…`) when the server gave one. */
  id: string | null
  responseIndex: number
  outputIndex: number
  status: 'in_progress' | 'completed' | 'incomplete'
}

export interface MessageItemView extends ItemBase {
  kind: 'message'
  parts: PartView[]
  /** `commentary` or `final_answer` on models that mark it; resent as it came. */
  phase: string | null
}

export interface FunctionCallItemView extends ItemBase {
  kind: 'function_call'
  callId: string | null
  name: string | null
  arguments: string
}

export interface ReasoningItemView extends ItemBase {
  kind: 'reasoning'
  summary: string[]
  content: string[]
  encryptedContent: string | null
}

/** Item types Tether does not run (hosted tools and the like): kept verbatim for resends, shown by type and summary. */
export interface OtherItemView extends ItemBase {
  kind: 'other'
  itemType: string
  /** What it did, in a line a person can read ("searched the web: …"). */
  summary: string
  item: OutputItem | null
}

export type ItemView = MessageItemView | FunctionCallItemView | ReasoningItemView | OtherItemView

export type ToolCallViewStatus = 'requested' | 'awaiting_approval' | 'running' | ToolCallStatus

export interface ToolCallMetricsView {
  startedAfterMs: number
  finishedAfterMs: number
  outputSentAfterMs: number | null
  approvalWaitMs: number
  hostWaitMs: number
  runMs: number
}

export interface ToolCallView {
  callId: string
  name: string
  arguments: string
  itemKey: string | null
  responseIndex: number | null
  status: ToolCallViewStatus
  exitCode: number | null
  /** What the model was (or will be) sent. */
  output: string | null
  /** Tail of the raw terminal output, for the terminal view. */
  terminal: string
  terminalDroppedBytes: number
  durationMs: number | null
  artifactPath: string | null
  startedAt: number | null
  finishedAt: number | null
  outputSent: boolean
  metrics: ToolCallMetricsView | null
  /** A checkpoint of the workspace was kept before this call: it can be rewound to. */
  rewindable: boolean
  /** What the call changed in the workspace, from the checkpoint after it; null until then. */
  changes: { paths: string[]; count: number; notes: string[] } | null
}

/** A call the model asked for and nothing has happened to yet. */
export function requestedCall(callId: string, name: string, args: string, itemKey: string | null, responseIndex: number | null): ToolCallView {
  return {
    callId,
    name,
    arguments: args,
    itemKey,
    responseIndex,
    status: 'requested',
    exitCode: null,
    output: null,
    terminal: '',
    terminalDroppedBytes: 0,
    durationMs: null,
    artifactPath: null,
    startedAt: null,
    finishedAt: null,
    outputSent: false,
    metrics: null,
    rewindable: false,
    changes: null
  }
}

export interface ApprovalView {
  callId: string
  tool: string
  subject: string
  risk: RiskDecision
  reasons: string[]
  subcommands: string[]
  sandboxed: boolean
  suggestedRule: string[] | null
  requestedAt: number
  decision: {
    decision: ApprovalDecision
    scope: ApprovalScope
    message: string | null
    rule: string[] | null
    by: 'person' | 'rule' | 'mode'
    decidedAt: number
  } | null
}

export interface TurnView {
  turn: number
  transport: Transport
  mode: 'incremental' | 'full'
  previousResponseId: string | null
  bytes: number
  sentAt: number
  inputCount: number
  responseIndexes: number[]
  failure: { code: string | null; message: string } | null
  firstEventMs: number | null
  durationMs: number | null
}

export interface UserInputView {
  kind: UserInputKind
  text: string
  at: number
  /** A steer the server accepted mid-response is already in its context. */
  delivered: boolean
}

export type ErrorSource = 'server' | 'response' | 'protocol' | 'request' | 'steer'

export interface ErrorView {
  source: ErrorSource
  code: string | null
  message: string
  responseIndex: number | null
  at: number
}

/** A retry the run is waiting for, until the next request goes out. */
export interface RetryView {
  errorClass: ErrorClassName
  code: string | null
  message: string
  /** When the retry goes out (ms since epoch, from the record's timestamp). */
  retryAt: number
  serverDelay: boolean
  attempt: number
  maxAttempts: number
}

export interface RewindView {
  beforeCallId: string
  changedCount: number
  failed: { path: string; reason: string }[]
  at: number
}

export interface TransportView {
  transport: Transport
  state: TransportState | 'idle'
  attempt: number | null
  maxAttempts: number | null
  reason: string | null
  reconnects: number
  rotations: number
  fellBack: boolean
}

/** Order in which things happened, for the transcript and for rebuilding the model's context. */
export type TimelineEntry =
  | { kind: 'user'; index: number }
  | { kind: 'item'; key: string }
  | { kind: 'tool_result'; callId: string }
  /** The run was taken up again (resumed, retried, or continued by a follow-up). */
  | { kind: 'resumed'; reason: string; at: number; freshShell: boolean }
  | { kind: 'compaction'; index: number }

export interface CompactionView {
  method: 'server' | 'summary'
  throughTimeline: number
  replacement: InputItem[]
  tokensBefore: number | null
  tokensAfter: number | null
  usage: Usage | null
  reason: string
  at: number
}

export interface StreamCursor {
  /** Index into `responses` of the response events currently belong to. */
  responseIndex: number | null
  lastSequence: number | null
  turn: number | null
}

export interface RunState {
  runId: string | null
  workspace: string | null
  /** The run works in its own git worktree of this repository. */
  worktree: WorktreeInfo | null
  provider: ProviderInfo | null
  model: string | null
  settings: RunSettings | null
  tools: FunctionTool[]
  toolViews: Record<string, ToolView>
  status: 'empty' | 'running' | RunOutcome
  finishReason: string | null
  startedAt: number | null
  finishedAt: number | null
  resumes: number
  lastSeq: number
  lastTs: number | null
  turns: TurnView[]
  responses: ResponseView[]
  responseIndexById: Record<string, number>
  items: Record<string, ItemView>
  toolCalls: Record<string, ToolCallView>
  toolCallOrder: string[]
  approvals: Record<string, ApprovalView>
  userInputs: UserInputView[]
  timeline: TimelineEntry[]
  /** Timeline entries before this index were part of what a sent request or the server already holds. */
  sentThrough: number
  transport: TransportView
  retry: RetryView | null
  errors: ErrorView[]
  usage: Usage | null
  /** Every compaction of the conversation, oldest first; the last one shapes a full resend. */
  compactions: CompactionView[]
  cursor: StreamCursor
  duplicates: number
  gaps: { responseIndex: number; expected: number; received: number }[]
  logRepairs: number
  rewinds: RewindView[]
}

/** The terminal view keeps this much raw output per call; the full output is in the artifact. */
export const TERMINAL_TAIL_BYTES = 256 * 1024

export const initialRunState: RunState = Object.freeze({
  runId: null,
  workspace: null,
  worktree: null,
  provider: null,
  model: null,
  settings: null,
  tools: [],
  toolViews: {},
  status: 'empty',
  finishReason: null,
  startedAt: null,
  finishedAt: null,
  resumes: 0,
  lastSeq: -1,
  lastTs: null,
  turns: [],
  responses: [],
  responseIndexById: {},
  items: {},
  toolCalls: {},
  toolCallOrder: [],
  approvals: {},
  userInputs: [],
  timeline: [],
  sentThrough: 0,
  transport: {
    transport: 'ws',
    state: 'idle',
    attempt: null,
    maxAttempts: null,
    reason: null,
    reconnects: 0,
    rotations: 0,
    fellBack: false
  },
  retry: null,
  errors: [],
  usage: null,
  compactions: [],
  cursor: { responseIndex: null, lastSequence: null, turn: null },
  duplicates: 0,
  gaps: [],
  logRepairs: 0,
  rewinds: []
}) as RunState
