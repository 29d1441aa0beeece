// Whether a tool call may run. The approval broker implements this; it writes approval records
// itself and may wait for a person.
import type { ApprovalMode, RunRecord, RunRecordBody } from '../../common/run/records'
import type { ApprovalView } from '../../common/run/state'
import type { ToolCallSubject } from '../tools/tool-runtime'

export interface GateCall {
  runId: string
  callId: string
  tool: string
  arguments: string
  subject: ToolCallSubject
  mode: ApprovalMode
  sandboxed: boolean
  workspace: string
  /** The approval the log already holds for this call (after a restart): re-ask or reuse, never duplicate. */
  approval: ApprovalView | null
  signal: AbortSignal
  /** Appends an approval record to this run's log and resolves once it is on disk (a request put to a person). */
  record: (body: RunRecordBody) => Promise<RunRecord>
  /**
   * Appends without waiting for the disk, for what is only made again if a crash loses it (a
   * decision: nothing has run yet); a call that can change anything syncs it with its
   * `tool.started`.
   */
  note: (body: RunRecordBody) => RunRecord
}

/** `changesNothing`: the policy knows the call changes nothing, so it needs no write-ahead sync. */
export type GateDecision = { allowed: true; changesNothing?: true } | { allowed: false; message: string }

export interface ToolGate {
  authorize(call: GateCall): Promise<GateDecision>
  /**
   * The decision `authorize` would give at once without asking anyone or recording anything, for
   * running a call before its response ends; null when the call must wait for `authorize`. A gate
   * without it lets nothing run early.
   */
  preclear?(call: GateCall): Promise<GateDecision | null>
  /** The run's driver closed: free what the gate holds for it (a gate that holds nothing per run has none). */
  closeRun?(runId: string): void
}
