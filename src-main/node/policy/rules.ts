// Token-prefix rules: `npm test` matches `npm test --watch` but never `npm testx` or `npm`.
// Each sub-command is matched on its own, so a rule never spans `&&`, `|` or `;`. Where several
// rules match, the strictest wins: deny > ask > allow.
import type { ApprovalScope } from '../../common/run/records'

export type RuleDecision = 'allow' | 'ask' | 'deny'

export interface PrefixRule {
  decision: RuleDecision
  /** The program as rules see it (the base name for system binaries, `./x` as written otherwise), then arguments. */
  prefix: string[]
}

export type RuleScope = Exclude<ApprovalScope, 'once'>

export interface ScopedRule {
  rule: PrefixRule
  /** `run`: remembered for one run, in memory; `always`: saved for the repository. */
  scope: RuleScope
}

const MAX_RULE_TOKENS = 64
const MAX_TOKEN_LENGTH = 4096
const RANK: Record<RuleDecision, number> = { allow: 0, ask: 1, deny: 2 }

/** Null when `prefix` can be a rule; otherwise why not. */
export function ruleProblem(prefix: readonly unknown[]): string | null {
  if (prefix.length === 0) return 'a rule needs at least the program name'
  if (prefix.length > MAX_RULE_TOKENS) return `a rule has at most ${MAX_RULE_TOKENS} tokens`
  for (const token of prefix) {
    if (typeof token !== 'string' || token.length === 0) return 'every token of a rule is a non-empty string'
    if (token.length > MAX_TOKEN_LENGTH) return `a rule token is at most ${MAX_TOKEN_LENGTH} characters`
    if (/[\0\n\r]/.test(token)) return 'a rule token cannot contain NUL or line breaks'
  }
  return null
}

/** Whether `prefix` is a prefix of `tokens`; a token only known at run time (null) matches nothing. */
export function matchesPrefix(prefix: readonly string[], tokens: readonly (string | null)[]): boolean {
  if (prefix.length === 0 || prefix.length > tokens.length) return false
  return prefix.every((token, index) => tokens[index] === token)
}

/** The strictest rule matching `tokens`; among equals, the longest (most specific) prefix. */
export function strictestMatch(tokens: readonly (string | null)[], rules: readonly ScopedRule[]): ScopedRule | null {
  let best: ScopedRule | null = null
  for (const candidate of rules) {
    if (!matchesPrefix(candidate.rule.prefix, tokens)) continue
    if (
      best === null ||
      RANK[candidate.rule.decision] > RANK[best.rule.decision] ||
      (RANK[candidate.rule.decision] === RANK[best.rule.decision] && candidate.rule.prefix.length > best.rule.prefix.length)
    ) {
      best = candidate
    }
  }
  return best
}

export function sameRule(a: PrefixRule, b: PrefixRule): boolean {
  return a.decision === b.decision && a.prefix.length === b.prefix.length && a.prefix.every((token, index) => token === b.prefix[index])
}

function quoteToken(token: string): string {
  return /^[\w@%+=:,./-]+$/.test(token) ? token : `'${token.replaceAll("'", `'\\''`)}'`
}

/** The prefix as a shell-like line: `npm run 'my script'`. */
export function formatPrefix(prefix: readonly string[]): string {
  return prefix.map(quoteToken).join(' ')
}

export function formatRule(rule: PrefixRule): string {
  return `${rule.decision} \`${formatPrefix(rule.prefix)}\``
}
