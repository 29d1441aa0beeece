// Turns the classification of a shell command into a verdict under the run's mode and rules.
//
//   deny rule (any mode, sandboxed or not) ... refused without asking
//   not sandboxed ............................ every command asks (the floor with its warning)
//   the floor ................................ forbid: asks with the warning, whatever rules or mode say
//   ask rule ................................. asks, even for read-only commands
//   allow rule ............................... lifts what a rule may lift (not parse errors, hidden
//                                              programs, shell-wide changes); saved rules apply in
//                                              ask-risky and auto-in-sandbox, run rules in every mode
//   auto-in-sandbox .......................... runs every other command unless its text hides what runs
//   ask-always ............................... asks before every command, read-only ones included
//   read-only / ask-risky .................... plain read-only commands run; the rest asks
import type { ApprovalMode } from '../../common/run/records'
import type { PolicyVerdict } from './approval-policy'
import type { CommandClassification, SubcommandVerdict } from './classify-command'
import { formatRule, strictestMatch, type PrefixRule, type ScopedRule } from './rules'
import { suggestRule } from './suggest-rule'

export interface ShellRules {
  /** The repository's saved rules. */
  saved: PrefixRule[]
  /** Why the saved rules cannot be read; then the mode lifts nothing either (a deny rule may be among them). */
  savedProblem: string | null
  /** Rules the person gave for this run. */
  run: PrefixRule[]
}

export interface ShellContext {
  mode: ApprovalMode
  sandboxed: boolean
}

function describeScope(scope: ScopedRule['scope']): string {
  return scope === 'always' ? 'saved for this repository' : 'given for this run'
}

function applicableRules(rules: ShellRules, mode: ApprovalMode): ScopedRule[] {
  const savedAllowsApply = mode === 'ask-risky' || mode === 'auto-in-sandbox'
  return [
    ...rules.run.map((rule): ScopedRule => ({ rule, scope: 'run' })),
    ...rules.saved.filter((rule) => savedAllowsApply || rule.decision !== 'allow').map((rule): ScopedRule => ({ rule, scope: 'always' }))
  ]
}

/** One rule that would let every asking sub-command through, or null. */
function unifiedSuggestion(asking: SubcommandVerdict[]): string[] | null {
  let suggestion: string[] | null = null
  for (const subcommand of asking) {
    const next = subcommand.liftable && !subcommand.substitutes ? suggestRule(subcommand.tokens) : null
    if (next === null) return null
    if (suggestion !== null && suggestion.join('\0') !== next.join('\0')) return null
    suggestion = next
  }
  return suggestion
}

export function shellVerdict(classification: CommandClassification, context: ShellContext, rules: ShellRules): PolicyVerdict {
  const base = {
    subcommands: classification.subcommands.map((subcommand) => subcommand.text),
    suggestedRule: null,
    matchedRule: null,
    settledBy: null,
    refusal: null
  }
  const candidates = applicableRules(rules, context.mode)
  const matches = classification.subcommands.map((subcommand) => strictestMatch(subcommand.tokens, candidates))

  const deniedAt = matches.findIndex((match) => match?.rule.decision === 'deny')
  const denied = matches[deniedAt]
  if (denied) {
    const text = classification.subcommands[deniedAt]?.text ?? ''
    const rule = `the rule ${formatRule(denied.rule)} ${describeScope(denied.scope)}`
    return {
      ...base,
      decision: classification.decision,
      reasons: [`${text}: refused without asking by ${rule}`, ...classification.reasons],
      matchedRule: denied.rule.prefix,
      settledBy: { by: 'rule', scope: denied.scope },
      refusal: `Refused without asking: \`${text}\` matches ${rule}.`
    }
  }
  if (!context.sandboxed) {
    return {
      ...base,
      decision: classification.decision === 'forbid' ? 'forbid' : 'ask',
      reasons: ['runs WITHOUT the OS sandbox, so every command asks', ...classification.reasons]
    }
  }
  if (classification.decision === 'forbid') return { ...base, decision: 'forbid', reasons: classification.reasons }

  const modeLifts = context.mode === 'auto-in-sandbox' && rules.savedProblem === null
  const remaining: string[] = []
  const asking: SubcommandVerdict[] = []
  let askRule: ScopedRule | null = null
  let liftedByRule: ScopedRule | null = null
  let liftedByMode = false
  classification.subcommands.forEach((subcommand, index) => {
    const match = matches[index] ?? null
    if (match?.rule.decision === 'ask') {
      askRule ??= match
      remaining.push(`${subcommand.text}: the rule ${formatRule(match.rule)} ${describeScope(match.scope)} asks`)
      return
    }
    if (subcommand.decision === 'allow' && context.mode !== 'ask-always') return
    if (match?.rule.decision === 'allow' && subcommand.liftable) {
      liftedByRule ??= match
      return
    }
    if (modeLifts && subcommand.decision === 'ask' && !subcommand.opaque) {
      liftedByMode = true
      return
    }
    asking.push(subcommand)
    if (subcommand.decision === 'allow') remaining.push(`${subcommand.text}: ask-always asks before every command`)
    else remaining.push(...subcommand.reasons.map((reason) => `${subcommand.text}: ${reason}`))
  })
  let wholeCommandAsks = false
  for (const finding of classification.findings) {
    if (modeLifts && !finding.opaque) {
      liftedByMode = true
      continue
    }
    wholeCommandAsks = true
    remaining.push(finding.reason)
  }
  if (context.mode === 'ask-always' && classification.subcommands.length === 0 && remaining.length === 0) {
    wholeCommandAsks = true
    remaining.push('ask-always asks before every command')
  }

  if (remaining.length === 0) {
    const rule = liftedByRule as ScopedRule | null
    // Every sub-command is one the classifier knows to be read-only: nothing lifted it.
    if (rule === null && !liftedByMode) return { ...base, decision: 'allow', reasons: classification.reasons, changesNothing: true }
    const why =
      rule !== null ? `allowed without asking by the rule ${formatRule(rule.rule)} ${describeScope(rule.scope)}` : 'auto-in-sandbox runs it in the sandbox without asking'
    return {
      ...base,
      decision: 'allow',
      reasons: [why, ...classification.reasons],
      matchedRule: rule?.rule.prefix ?? null,
      settledBy: liftedByMode ? { by: 'mode', scope: 'once' } : { by: 'rule', scope: rule?.scope ?? 'once' }
    }
  }
  if (rules.savedProblem) remaining.push(`the saved rules for this repository are not applied: ${rules.savedProblem}`)
  const matchedAsk = askRule as ScopedRule | null
  return {
    ...base,
    decision: 'ask',
    reasons: remaining,
    matchedRule: matchedAsk?.rule.prefix ?? null,
    suggestedRule: wholeCommandAsks || matchedAsk !== null ? null : unifiedSuggestion(asking)
  }
}
