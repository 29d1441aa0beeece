// The approval broker: the run driver's gate, one for any number of runs. For each tool call
// it asks the policy, and when the policy says ask, writes `approval.requested` durably (through
// the call's own `record`), waits for a person through the asker, writes `approval.decided`,
// remembers run and repository rules, and answers the driver.
//
// Records: a plain allow (a read-only command, a workspace read) writes none. A call a rule or the
// mode settles where the person would otherwise be asked (or that a rule or a read-only run
// refuses) writes both records, `by: 'rule'` or `by: 'mode'`, so the log says why it ran. Without
// an asker (`tether run` without a terminal), what would ask is denied, recorded `by: 'mode'`.
//
// "For this run" on a call no prefix rule can carry (a compound command, a script, a file write
// outside the usual places) is remembered as that exact call: the same tool with the same subject
// runs without asking for the rest of the run, logged `by: 'rule'`, scope `run`, no rule. The
// floor is never remembered: it asks every time.
//
// After a restart the driver passes the approval the log holds for the call: with a decision it is
// reused without asking; without one the person is asked again and no second `approval.requested`
// is written. A logged approval counts only for the same tool and subject (and, within this
// process, the same arguments), so a decision cannot be replayed for another command.
import { createHash } from 'node:crypto'
import type { ApprovalDecidedRecord, ApprovalRequestedRecord } from '../../common/run/records'
import { assertNever } from '../../common/run/records'
import type { ApprovalView } from '../../common/run/state'
import type { GateCall, GateDecision, ToolGate } from '../driver/tool-gate'
import type { ToolCallSubject } from '../tools/tool-runtime'
import { decisionProblem, type ApprovalAsker } from './approval-asker'
import type { ApprovalPolicy, PersonDecision, PolicyInput, PolicyVerdict } from './approval-policy'
import { ABORTED, AskTurns, whenAborted } from './ask-turns'

export interface ApprovalBrokerOptions {
  policy: ApprovalPolicy
  /** Who answers questions; null where nobody can (non-interactive): what would ask is denied. */
  asker: ApprovalAsker | null
}

const ALLOWED: GateDecision = { allowed: true }
const ALLOWED_READ_ONLY: GateDecision = { allowed: true, changesNothing: true }
export const INTERRUPTED_MESSAGE = 'The run was interrupted while this call waited for approval; it did not run.'

/** What the person is asked about, as shown and as logged. */
export function subjectText(subject: ToolCallSubject): string {
  switch (subject.kind) {
    case 'shell':
      return subject.command
    case 'script':
      return subject.code
    case 'read':
    case 'write':
      return subject.path
    case 'mcp':
      return `${subject.server} › ${subject.tool} ${subject.arguments}`
    case 'invalid':
      return subject.message
    default:
      return assertNever(subject, 'tool call subject')
  }
}

function noun(subject: ToolCallSubject): string {
  switch (subject.kind) {
    case 'shell':
      return 'command'
    case 'script':
      return 'script'
    case 'read':
      return 'file read'
    case 'write':
      return 'file write'
    case 'mcp':
      return 'MCP tool call'
    case 'invalid':
      return 'call'
    default:
      return assertNever(subject, 'tool call subject')
  }
}

/** Binds a decision to the exact arguments of the call it was made for. */
export function argumentsBinding(tool: string, rawArguments: string): string {
  return createHash('sha256').update(tool).update('\0').update(rawArguments).digest('hex')
}

function inputOf(call: GateCall): PolicyInput {
  return { runId: call.runId, tool: call.tool, subject: call.subject, mode: call.mode, sandboxed: call.sandboxed, workspace: call.workspace }
}

function requestOf(call: GateCall, verdict: PolicyVerdict): ApprovalRequestedRecord {
  return {
    type: 'approval.requested',
    callId: call.callId,
    tool: call.tool,
    subject: subjectText(call.subject),
    // A settled allow was a question the rule or mode answered.
    risk: verdict.decision === 'allow' && verdict.refusal === null ? 'ask' : verdict.decision,
    reasons: verdict.reasons,
    subcommands: verdict.subcommands,
    sandboxed: call.sandboxed,
    suggestedRule: verdict.suggestedRule
  }
}

function requestFromView(view: ApprovalView): ApprovalRequestedRecord {
  return {
    type: 'approval.requested',
    callId: view.callId,
    tool: view.tool,
    subject: view.subject,
    risk: view.risk,
    reasons: view.reasons,
    subcommands: view.subcommands,
    sandboxed: view.sandboxed,
    suggestedRule: view.suggestedRule
  }
}

function denial(subject: ToolCallSubject, message: string | null): GateDecision {
  const text = message?.trim()
  return { allowed: false, message: `The person denied this ${noun(subject)}${text ? `: ${text}` : '.'}` }
}

/** What the broker holds for one run while it runs: its own line of questions and what its approvals were for. */
interface RunDesk {
  turns: AskTurns
  /** The arguments each approval this broker requested was for, by call. */
  bindings: Map<string, string>
}

export class ApprovalBroker implements ToolGate {
  #policy: ApprovalPolicy
  #asker: ApprovalAsker | null
  /** Each run asks its own questions one at a time; runs never wait for each other's answers. */
  #runs = new Map<string, RunDesk>()
  /**
   * Exact calls a person allowed for the rest of their run, by run: see the header. Kept when a
   * run's driver closes, as the policy keeps its run rules: a follow-up continues the same run.
   */
  #allowedForRun = new Map<string, Set<string>>()

  constructor(options: ApprovalBrokerOptions) {
    this.#policy = options.policy
    this.#asker = options.asker
  }

  async authorize(call: GateCall): Promise<GateDecision> {
    if (call.signal.aborted) return { allowed: false, message: INTERRUPTED_MESSAGE }
    const logged = this.#loggedApproval(call)
    if (logged?.decision) {
      return logged.decision.decision === 'allow' ? ALLOWED : { allowed: false, message: logged.decision.message ?? `The ${noun(call.subject)} was denied.` }
    }
    const verdict = await this.#policy.evaluate(inputOf(call))
    const existing = logged ? requestFromView(logged) : null
    const settled = this.#settle(call, verdict, existing) ?? this.#settleAllowedForRun(call, verdict, existing)
    if (settled) return settled
    const request = existing ?? requestOf(call, verdict)
    if (this.#asker === null) return this.#nobodyToAsk(call, request, existing === null)
    if (existing === null) {
      await call.record(request)
      this.#bind(call)
    }
    const asker = this.#asker
    const outcome = await this.#deskOf(call.runId).turns.take(call.signal, async () => {
      // An answer given while this call waited (a rule for this run) may settle it now.
      const fresh = await this.#policy.evaluate(inputOf(call))
      return this.#settle(call, fresh, request) ?? this.#settleAllowedForRun(call, fresh, request) ?? (await this.#askPerson(asker, call, request))
    })
    return outcome === ABORTED ? { allowed: false, message: INTERRUPTED_MESSAGE } : outcome
  }

  /**
   * Allows a call only where `authorize` would allow it at once and write nothing: no logged
   * approval, no rule or mode settling it, no person. Never asks and never records; null means
   * the call waits for `authorize`.
   */
  async preclear(call: GateCall): Promise<GateDecision | null> {
    if (call.signal.aborted || call.approval !== null) return null
    const verdict = await this.#policy.evaluate(inputOf(call))
    if (verdict.refusal !== null || verdict.decision !== 'allow' || verdict.settledBy !== null) return null
    return verdict.changesNothing ? ALLOWED_READ_ONLY : ALLOWED
  }

  /** Frees what the broker holds for a run that stopped; a run taken up again starts from its log. */
  closeRun(runId: string): void {
    this.#runs.delete(runId)
  }

  /** Runs the broker holds state for, for checking that closing frees them. */
  get openRuns(): number {
    return this.#runs.size
  }

  #deskOf(runId: string): RunDesk {
    let desk = this.#runs.get(runId)
    if (!desk) this.#runs.set(runId, (desk = { turns: new AskTurns(), bindings: new Map() }))
    return desk
  }

  #bind(call: GateCall): void {
    this.#deskOf(call.runId).bindings.set(call.callId, argumentsBinding(call.tool, call.arguments))
  }

  /** The approval the log holds for this call, if it was made for this very call. */
  #loggedApproval(call: GateCall): ApprovalView | null {
    const view = call.approval
    if (!view) return null
    if (view.callId !== call.callId || view.tool !== call.tool || view.subject !== subjectText(call.subject)) return null
    const binding = this.#runs.get(call.runId)?.bindings.get(call.callId)
    if (binding !== undefined && binding !== argumentsBinding(call.tool, call.arguments)) return null
    return view
  }

  /** Records and returns what a rule or the mode decided; null when a person must decide. */
  #settle(call: GateCall, verdict: PolicyVerdict, requested: ApprovalRequestedRecord | null): GateDecision | null {
    if (verdict.refusal !== null) {
      const by = verdict.settledBy ?? { by: 'mode', scope: 'once' }
      this.#record(call, requested ?? requestOf(call, verdict), requested === null, {
        decision: 'deny',
        scope: by.scope,
        message: verdict.refusal,
        rule: verdict.matchedRule,
        by: by.by
      })
      return { allowed: false, message: verdict.refusal }
    }
    if (verdict.decision !== 'allow') return null
    if (verdict.settledBy === null && requested === null) return verdict.changesNothing ? ALLOWED_READ_ONLY : ALLOWED
    const by = verdict.settledBy ?? { by: 'mode', scope: 'once' }
    this.#record(call, requested ?? requestOf(call, verdict), requested === null, {
      decision: 'allow',
      scope: by.scope,
      message: null,
      rule: verdict.matchedRule,
      by: by.by
    })
    return ALLOWED
  }

  /** Settles a call the person already allowed, exactly as it is, for this run; null otherwise. */
  #settleAllowedForRun(call: GateCall, verdict: PolicyVerdict, requested: ApprovalRequestedRecord | null): GateDecision | null {
    if (verdict.decision !== 'ask' || !this.#allowedForRun.get(call.runId)?.has(exactCallKey(call))) return null
    this.#record(call, requested ?? requestOf(call, verdict), requested === null, { decision: 'allow', scope: 'run', message: null, rule: null, by: 'rule' })
    return ALLOWED
  }

  #nobodyToAsk(call: GateCall, request: ApprovalRequestedRecord, writeRequest: boolean): GateDecision {
    const why = request.reasons[0] ?? 'it needs approval'
    const message =
      `This ${noun(call.subject)} needs the person's approval (${why}), and nobody can be asked here because the run is not interactive, ` +
      'so it did not run. Do without it, or leave it for the person to run.'
    this.#record(call, request, writeRequest, { decision: 'deny', scope: 'once', message, rule: null, by: 'mode' })
    return { allowed: false, message }
  }

  async #askPerson(asker: ApprovalAsker, call: GateCall, request: ApprovalRequestedRecord): Promise<GateDecision> {
    const abort = whenAborted(call.signal)
    let answer: PersonDecision | typeof ABORTED
    try {
      answer = await Promise.race([asker.ask({ runId: call.runId, workspace: call.workspace, request }, call.signal), abort.aborted.then((): typeof ABORTED => ABORTED)])
    } catch (error) {
      if (call.signal.aborted) return { allowed: false, message: INTERRUPTED_MESSAGE }
      return { allowed: false, message: `Tether could not ask the person about this ${noun(call.subject)} (${(error as Error).message}), so it did not run.` }
    } finally {
      abort.cancel()
    }
    if (answer === ABORTED) return { allowed: false, message: INTERRUPTED_MESSAGE }
    const problem = decisionProblem(answer)
    if (problem) return { allowed: false, message: `Tether could not read the person's answer about this ${noun(call.subject)} (${problem}), so it did not run.` }
    const rule = ruleOf(request, answer)
    const saved = rule !== null && answer.scope === 'always' && (await this.#saveForRepository(call, rule, answer))
    // The run rule appears in the same step the answer is logged, so no call it settles is logged
    // as decided by it before the answer that made it.
    const remembered = this.#rememberForRun(call, request, rule, answer, saved)
    const message = answer.decision === 'deny' ? (answer.message?.trim() || null) : null
    this.#record(call, request, false, { decision: answer.decision, scope: remembered.scope, message, rule: remembered.rule, by: 'person' })
    return answer.decision === 'allow' ? ALLOWED : denial(call.subject, message)
  }

  /** Saves an always answer's rule for the repository; false (and the rules file left alone) when it cannot be written or read. */
  async #saveForRepository(call: GateCall, rule: string[], answer: PersonDecision): Promise<boolean> {
    try {
      await this.#policy.remember(call.workspace, call.runId, rule, 'always', answer.decision)
      return true
    } catch {
      return false
    }
  }

  /**
   * Remembers a run or always answer's rule for this run; the scope actually applied is what gets
   * logged. An always rule is remembered for the run too: modes that ignore saved allow rules
   * (ask-always, read-only) still stop asking for the rest of this run. A run answer without a
   * rule remembers the exact call.
   */
  #rememberForRun(call: GateCall, request: ApprovalRequestedRecord, rule: string[] | null, answer: PersonDecision, saved: boolean): { scope: PersonDecision['scope']; rule: string[] | null } {
    if (rule === null) {
      if (answer.decision !== 'allow' || answer.scope !== 'run' || request.risk === 'forbid') return { scope: 'once', rule: null }
      const allowed = this.#allowedForRun.get(call.runId) ?? new Set<string>()
      this.#allowedForRun.set(call.runId, allowed.add(exactCallKey(call)))
      return { scope: 'run', rule: null }
    }
    try {
      this.#policy.rememberForRun(call.runId, rule, answer.decision)
    } catch {
      return { scope: saved ? 'always' : 'once', rule: saved ? rule : null }
    }
    return { scope: saved ? 'always' : 'run', rule }
  }

  /**
   * Appends the decision (and the request, when a rule or the mode decided at once) without
   * waiting for the disk. Nothing has run yet: a call that can change anything syncs these with
   * its tool.started before it runs, and a decision lost to a power cut is only made again (the
   * policy gives the same answer; a person whose request is on disk is asked again).
   */
  #record(call: GateCall, request: ApprovalRequestedRecord, writeRequest: boolean, decided: Omit<ApprovalDecidedRecord, 'type' | 'callId'>): void {
    if (writeRequest) {
      this.#bind(call)
      call.note(request)
    }
    call.note({ type: 'approval.decided', callId: call.callId, ...decided })
  }
}

/** The tool and the subject as the person saw them: what "for this run" without a rule covers. */
function exactCallKey(call: GateCall): string {
  return `${call.tool}\0${subjectText(call.subject)}`
}

/** The rule a run or always answer asks for; null for a once answer and for the floor, which has no rule. */
function ruleOf(request: ApprovalRequestedRecord, answer: PersonDecision): string[] | null {
  if (answer.scope === 'once' || request.risk === 'forbid') return null
  return request.suggestedRule
}
