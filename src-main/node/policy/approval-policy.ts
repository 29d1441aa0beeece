// The interface between the run driver and approvals. Classification is convenience; the
// sandbox stays the security boundary.
import type { ApprovalDecision, ApprovalMode, ApprovalScope, RiskDecision } from '../../common/run/records'
import type { ToolCallSubject } from '../tools/tool-runtime'

export interface PolicyInput {
  runId: string
  tool: string
  subject: ToolCallSubject
  mode: ApprovalMode
  /** Whether the call will run inside the OS sandbox. */
  sandboxed: boolean
  workspace: string
}

export interface PolicyVerdict {
  /** `allow` runs without asking; `ask` asks; `forbid` always asks with the floor warning. */
  decision: RiskDecision
  reasons: string[]
  /** The parsed sub-commands, shown in the dialog. */
  subcommands: string[]
  /** The token-prefix rule "always" would save; null when no safe rule exists (e.g. the floor). */
  suggestedRule: string[] | null
  /** The saved rule that decided it, if one did. */
  matchedRule: string[] | null
  /**
   * Set when a rule or the mode settled the call without asking, where the person would otherwise
   * be asked (or, for a refusal, where the call would otherwise run or ask). Null for plain allows
   * (read-only commands, workspace reads) and for questions to the person.
   */
  settledBy: { by: 'rule' | 'mode'; scope: ApprovalScope } | null
  /**
   * Set when the call is refused without asking (a deny rule, a read-only run): what the model is
   * told. `decision` then still says how risky the call is.
   */
  refusal: string | null
  /**
   * The policy knows the call changes nothing (a plain read-only shell command): running it twice
   * is harmless, so it needs no write-ahead sync. Absent where that is not known.
   */
  changesNothing?: true
}

export interface PersonDecision {
  decision: ApprovalDecision
  scope: ApprovalScope
  message: string | null
}

export interface ApprovalPolicy {
  evaluate(input: PolicyInput): Promise<PolicyVerdict>
  /** Saves an `always` rule for the workspace (persistent) or remembers a `run` rule; `decision` says whether it allows or denies. */
  remember(workspace: string, runId: string, rule: string[], scope: Exclude<ApprovalScope, 'once'>, decision: ApprovalDecision): Promise<void>
  /** Remembers a `run` rule at once (no I/O); throws on a rule that is not valid. */
  rememberForRun(runId: string, rule: string[], decision: ApprovalDecision): void
}
