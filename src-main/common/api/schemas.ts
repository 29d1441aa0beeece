// Runtime validation of every request a host receives. The renderer is untrusted display code: a
// host parses params with these before it acts, in Electron and in browser mode alike. Host-only:
// the renderer never imports this module (zod's JIT would trip the strict CSP there).
import { z } from 'zod'
import { REPLAY_PAGE_MAX, type MethodName, type ParamsOf } from './contract'
import { PROVIDER_NAMES } from '../providers/providers'
import { REASONING_EFFORTS, REASONING_SUMMARIES } from '../providers/reasoning'
import { APPROVAL_MODES } from '../run/approval-modes'

const runId = z.string().regex(/^run_\d{8}T\d{6}Z_[0-9a-f]{6}$/, 'not a run id')
const text = z.string().min(1).max(200_000)
const path = z.string().min(1).max(4096).refine((value) => !value.includes('\0'), 'contains a NUL byte')
const provider = z.enum(PROVIDER_NAMES)
const host = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i, 'not a host name')

const runRef = z.strictObject({ runId })
const model = z.string().trim().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'a model id is printable text without spaces')
/** One line of plain text for a desktop notification: no control characters, bounded. */
const notificationText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/.test(value), 'contains control or direction characters')
const callId = z.string().min(1).max(200)
/** A workspace-relative path as the Changes view names it: no absolute path, no `..`, no `.git`. */
const workspacePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((value) => !value.includes('\0') && !value.startsWith('/'), 'not a workspace-relative path')
  .refine((value) => value.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && part !== '.git'), 'not a workspace-relative path')
const lineNumber = z.number().int().min(0).max(100_000_000)
const hunk = z.strictObject({ oldStart: lineNumber, oldLines: lineNumber, newStart: lineNumber, newLines: lineNumber })
const none = z.null()
/** A record's place in a log: far beyond any real log, still a safe integer. */
const recordIndex = z.number().int().min(0).max(1e12)

const SCHEMAS: { [M in MethodName]: z.ZodType<ParamsOf<M>> } = {
  getAppInfo: none,
  getSettings: none,
  updateSettings: z.strictObject({
    provider: provider.optional(),
    baseUrl: z.url({ protocol: /^https?$/ }).max(2048).optional(),
    model: model.optional(),
    transport: z.enum(['ws', 'sse']).optional(),
    approvalMode: z.enum(APPROVAL_MODES).optional(),
    networkAllowlist: z.array(host).max(200).optional(),
    reasoningEffort: z.enum(REASONING_EFFORTS).nullable().optional(),
    reasoningSummary: z.enum(REASONING_SUMMARIES).nullable().optional(),
    mcpConfig: z.string().max(256 * 1024).optional()
  }),
  setApiKey: z.strictObject({ provider, key: z.string().trim().min(8).max(1000).regex(/^[\x21-\x7e]+$/, 'contains spaces or control characters') }),
  clearApiKey: z.strictObject({ provider }),
  listRecentRepos: none,
  openRepo: z.strictObject({ path }),
  pickFolder: none,
  listRuns: z.strictObject({ workspace: path.nullable() }),
  searchRuns: z.strictObject({ query: z.string().min(1).max(500), workspace: path.nullable() }),
  startRun: z.strictObject({ workspace: path, task: text, model: model.optional(), worktree: z.boolean().optional() }),
  startDemo: none,
  subscribeRun: runRef,
  unsubscribeRun: runRef,
  openReplay: runRef,
  getReplayRecords: z
    .strictObject({ runId, from: recordIndex, to: recordIndex })
    .refine(({ from, to }) => to > from && to - from <= REPLAY_PAGE_MAX, `to must be after from, at most ${REPLAY_PAGE_MAX} records on`),
  getReplayState: z.strictObject({ runId, position: z.number().int().min(-1).max(1e12) }),
  steer: z.strictObject({ runId, text }),
  followUp: z.strictObject({ runId, text }),
  interrupt: runRef,
  resumeRun: runRef,
  decideApproval: z.strictObject({
    runId,
    callId: z.string().min(1).max(200),
    decision: z.enum(['allow', 'deny']),
    scope: z.enum(['once', 'run', 'always']),
    message: z.string().max(10_000).nullable()
  }),
  getChanges: runRef,
  revertChange: z.strictObject({ runId, path: workspacePath, hunk: hunk.nullable() }),
  previewRewind: z.strictObject({ runId, callId }),
  rewindRun: z.strictObject({ runId, callId }),
  applyRun: runRef,
  draftCommitMessage: runRef,
  commitChanges: z.strictObject({
    runId,
    message: z.string().trim().min(1).max(20_000),
    newBranch: z.string().min(1).max(200).regex(/^[\w./-]+$/, 'not a branch name').nullable()
  }),
  getArtifact: z.strictObject({ runId, callId: z.string().min(1).max(200) }),
  openExternal: z.strictObject({ url: z.string().min(1).max(2048) }),
  notify: z.strictObject({ runId, title: notificationText(120), body: notificationText(400) }),
  listWorkspaceFiles: z.strictObject({ workspace: path }),
  getProjectMcp: z.strictObject({ workspace: path }),
  approveProjectMcp: z.strictObject({ workspace: path, sha256: z.string().regex(/^[0-9a-f]{64}$/, 'not a SHA-256') })
}

export type ParamsCheck<M extends MethodName> = { ok: true; params: ParamsOf<M> } | { ok: false; message: string }

export function parseParams<M extends MethodName>(method: M, raw: unknown): ParamsCheck<M> {
  const result = (SCHEMAS[method] as z.ZodType<ParamsOf<M>>).safeParse(raw)
  if (result.success) return { ok: true, params: result.data }
  const message = result.error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'params'}: ${issue.message}`)
    .join('; ')
  return { ok: false, message }
}
