// A finding is one reason a command cannot run unasked. Classification collects them; the
// strictest decides.
import type { RiskDecision } from '../../common/run/records'

export interface Finding {
  decision: Exclude<RiskDecision, 'allow'>
  reason: string
  /** Whether a saved allow rule for the command may lift it. Floor findings never are. */
  liftable: boolean
  /**
   * The text hides what will run (a parse error, a program or script only known at run time,
   * disguising characters), so the floor cannot be checked: even `auto-in-sandbox` asks.
   */
  opaque: boolean
}

/** A reason to ask that a saved allow rule for the command may lift. */
export function ask(reason: string): Finding {
  return { decision: 'ask', reason, liftable: true, opaque: false }
}

/** A reason to ask about the command as written, whatever rules say (it is not about one program). */
export function askAlways(reason: string): Finding {
  return { decision: 'ask', reason, liftable: false, opaque: false }
}

/** What will run cannot be read from the text: no rule and no mode lets it through unasked. */
export function opaque(reason: string): Finding {
  return { decision: 'ask', reason, liftable: false, opaque: true }
}

/** The destructive floor: never runs unasked, whatever the mode or rules. */
export function floor(reason: string): Finding {
  return { decision: 'forbid', reason, liftable: false, opaque: false }
}

const RANK: Record<RiskDecision, number> = { allow: 0, ask: 1, forbid: 2 }

export function strictest(decisions: Iterable<RiskDecision>): RiskDecision {
  let result: RiskDecision = 'allow'
  for (const decision of decisions) if (RANK[decision] > RANK[result]) result = decision
  return result
}
