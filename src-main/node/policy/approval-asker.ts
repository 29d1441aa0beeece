// How the broker reaches a person: the terminal (`tether run`), a dialog (the desktop app) or a
// test answering programmatically.
import type { ApprovalRequestedRecord } from '../../common/run/records'
import type { PersonDecision } from './approval-policy'

export interface ApprovalQuestion {
  runId: string
  workspace: string
  /** The `approval.requested` record already in the run log: exactly what the person is asked. */
  request: ApprovalRequestedRecord
}

export interface ApprovalAsker {
  /**
   * Resolves with the person's decision. `signal` aborts when the run is interrupted; the broker
   * stops waiting at once then, so an asker that cannot be cancelled is still safe to use.
   */
  ask(question: ApprovalQuestion, signal: AbortSignal): Promise<PersonDecision>
}

/** Rejects what an asker may hand back that is not a decision (a renderer bug, a stale answer). */
export function decisionProblem(decision: unknown): string | null {
  if (typeof decision !== 'object' || decision === null) return 'the answer is not a decision'
  const { decision: verdict, scope, message } = decision as Record<string, unknown>
  if (verdict !== 'allow' && verdict !== 'deny') return `the answer's decision is ${JSON.stringify(verdict)}, not allow or deny`
  if (scope !== 'once' && scope !== 'run' && scope !== 'always') return `the answer's scope is ${JSON.stringify(scope)}, not once, run or always`
  if (message !== null && typeof message !== 'string') return "the answer's message is neither text nor null"
  return null
}
