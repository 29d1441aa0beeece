// Where a person's approval decisions meet the runs waiting for them. A run asks; the renderer
// answers through the API. Only a question actually pending can be answered, so a renderer cannot
// approve a call it was never shown. An answer for a run that is not running (the host restarted
// while it waited) is kept until the resumed run asks again.
import type { ApprovalAnswer } from '../../common/api/contract'
import type { PersonDecision } from '../policy/approval-policy'

interface Waiter {
  resolve: (decision: PersonDecision) => void
  reject: (error: Error) => void
}

const keyOf = (runId: string, callId: string): string => `${runId}\u0000${callId}`

function decisionOf(answer: ApprovalAnswer): PersonDecision {
  return { decision: answer.decision, scope: answer.scope, message: answer.decision === 'deny' ? answer.message : null }
}

export class ApprovalDesk {
  #waiting = new Map<string, Waiter>()
  #answered = new Map<string, PersonDecision>()

  /** Waits for the person's decision on one call; an abort (interrupt, shutdown) rejects. */
  ask(runId: string, callId: string, signal?: AbortSignal): Promise<PersonDecision> {
    const key = keyOf(runId, callId)
    const early = this.#answered.get(key)
    if (early) {
      this.#answered.delete(key)
      return Promise.resolve(early)
    }
    return new Promise<PersonDecision>((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiting.delete(key)
        reject(new Error('the approval was abandoned: the run stopped'))
      }
      if (signal?.aborted) return onAbort()
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#waiting.set(key, {
        resolve: (decision) => {
          signal?.removeEventListener('abort', onAbort)
          resolve(decision)
        },
        reject
      })
    })
  }

  isWaiting(runId: string, callId: string): boolean {
    return this.#waiting.has(keyOf(runId, callId))
  }

  /** Answers a pending question; false when nothing is waiting for this call. */
  answer(answer: ApprovalAnswer): boolean {
    const key = keyOf(answer.runId, answer.callId)
    const waiter = this.#waiting.get(key)
    if (!waiter) return false
    this.#waiting.delete(key)
    waiter.resolve(decisionOf(answer))
    return true
  }

  /** Keeps an answer for a run about to be resumed; the run's next question for this call takes it. */
  answerAhead(answer: ApprovalAnswer): void {
    this.#answered.set(keyOf(answer.runId, answer.callId), decisionOf(answer))
  }

  /** Forgets answers kept for a run that did not ask after all (its resume failed). */
  forgetRun(runId: string): void {
    for (const key of this.#answered.keys()) if (key.startsWith(`${runId}\u0000`)) this.#answered.delete(key)
  }
}
