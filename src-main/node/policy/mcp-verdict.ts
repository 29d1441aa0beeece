// Verdicts for MCP tools. A server's tool is judged by what the server says about it (the
// `readOnlyHint` annotation) and by the person's rules, never by parsing its arguments: the
// shell's destructive floor has nothing to read there. Rules name a server (`mcp:SERVER`) or one
// of its tools (`mcp:SERVER TOOL`); they live beside the shell rules and never match a command.
//
//                            ask-risky   auto-in-sandbox        ask-always   read-only
//   read-only tool           allow       allow                  ask          allow
//   other tool, sandboxed    ask         allow                  ask          refused
//   other tool, HTTP         ask         ask                    ask          refused
//   (a deny rule refuses in every mode; an allow rule lifts a question as it does for commands)
import type { ApprovalMode } from '../../common/run/records'
import type { ToolCallSubject } from '../tools/tool-runtime'
import type { PolicyVerdict } from './approval-policy'
import { formatRule, strictestMatch, type PrefixRule, type ScopedRule } from './rules'

export const MCP_RULE_MARK = 'mcp:'

type McpSubject = Extract<ToolCallSubject, { kind: 'mcp' }>

export interface McpRules {
  saved: PrefixRule[]
  savedProblem: string | null
  run: PrefixRule[]
}

/** Whether a rule is about MCP tools (and so never about shell commands). */
export function isMcpRule(rule: PrefixRule): boolean {
  return rule.prefix[0]?.startsWith(MCP_RULE_MARK) ?? false
}

export function mcpRuleTokens(subject: McpSubject): string[] {
  return [`${MCP_RULE_MARK}${subject.server}`, subject.tool]
}

function describeScope(scope: ScopedRule['scope']): string {
  return scope === 'always' ? 'saved for this repository' : 'given for this run'
}

export function mcpVerdict(subject: McpSubject, mode: ApprovalMode, rules: McpRules): PolicyVerdict {
  const where = subject.sandboxed ? 'runs inside the OS sandbox' : 'is a remote HTTP server, outside the sandbox'
  const reasons = [
    `calls the tool "${subject.tool}" of the MCP server "${subject.server}", which ${where}`,
    subject.readOnly ? 'the server marks this tool read-only' : 'the server does not mark this tool read-only'
  ]
  const tokens = mcpRuleTokens(subject)
  const base: PolicyVerdict = { decision: 'ask', reasons, subcommands: [], suggestedRule: tokens, matchedRule: null, settledBy: null, refusal: null }
  const savedAllowsApply = mode === 'ask-risky' || mode === 'auto-in-sandbox'
  const candidates: ScopedRule[] = [
    ...rules.run.filter(isMcpRule).map((rule): ScopedRule => ({ rule, scope: 'run' })),
    ...rules.saved.filter((rule) => isMcpRule(rule) && (savedAllowsApply || rule.decision !== 'allow')).map((rule): ScopedRule => ({ rule, scope: 'always' }))
  ]
  const match = strictestMatch(tokens, candidates)
  if (match?.rule.decision === 'deny') {
    const rule = `the rule ${formatRule(match.rule)} ${describeScope(match.scope)}`
    return {
      ...base,
      reasons: [`refused without asking by ${rule}`, ...reasons],
      suggestedRule: null,
      matchedRule: match.rule.prefix,
      settledBy: { by: 'rule', scope: match.scope },
      refusal: `Refused without asking: the MCP tool "${subject.tool}" of "${subject.server}" matches ${rule}.`
    }
  }
  if (mode === 'read-only' && !subject.readOnly) {
    return {
      ...base,
      reasons: ['the run is read-only, so MCP tools not marked read-only are refused', ...reasons],
      suggestedRule: null,
      settledBy: { by: 'mode', scope: 'once' },
      refusal: `Refused without asking: this run is read-only, and the MCP tool "${subject.tool}" of "${subject.server}" is not marked read-only.`
    }
  }
  if (match?.rule.decision === 'ask') return { ...base, reasons: [`the rule ${formatRule(match.rule)} ${describeScope(match.scope)} asks`, ...reasons], suggestedRule: null, matchedRule: match.rule.prefix }
  if (subject.readOnly && mode !== 'ask-always') return { ...base, decision: 'allow', suggestedRule: null }
  if (match?.rule.decision === 'allow') {
    return {
      ...base,
      decision: 'allow',
      reasons: [`allowed without asking by the rule ${formatRule(match.rule)} ${describeScope(match.scope)}`, ...reasons],
      suggestedRule: null,
      matchedRule: match.rule.prefix,
      settledBy: { by: 'rule', scope: match.scope }
    }
  }
  if (mode === 'ask-always') return { ...base, reasons: ['ask-always asks before every tool call', ...reasons] }
  if (mode === 'auto-in-sandbox' && subject.sandboxed && rules.savedProblem === null) {
    return { ...base, decision: 'allow', reasons: ['auto-in-sandbox runs it in the sandbox without asking', ...reasons], suggestedRule: null, settledBy: { by: 'mode', scope: 'once' } }
  }
  const problem = rules.savedProblem === null ? [] : [`the saved rules for this repository are not applied: ${rules.savedProblem}`]
  return { ...base, reasons: [...reasons, ...problem] }
}
