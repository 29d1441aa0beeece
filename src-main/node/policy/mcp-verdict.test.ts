import { describe, expect, it } from 'vitest'
import type { ApprovalMode } from '../../common/run/records'
import type { ToolCallSubject } from '../tools/tool-runtime'
import { isMcpRule, mcpVerdict } from './mcp-verdict'
import type { PrefixRule } from './rules'

type McpSubject = Extract<ToolCallSubject, { kind: 'mcp' }>
const subject = (readOnly: boolean, sandboxed = true): McpSubject => ({ kind: 'mcp', server: 'gh', tool: 'create_issue', arguments: '{}', readOnly, sandboxed })
const NO_RULES = { saved: [], savedProblem: null, run: [] }

function outcome(s: McpSubject, mode: ApprovalMode, rules: { saved: PrefixRule[]; savedProblem: string | null; run: PrefixRule[] } = NO_RULES): string {
  const verdict = mcpVerdict(s, mode, rules)
  return verdict.refusal !== null ? 'refused' : verdict.decision
}

describe('MCP verdicts', () => {
  it('follows the mode table', () => {
    const modes: ApprovalMode[] = ['ask-risky', 'auto-in-sandbox', 'ask-always', 'read-only']
    expect(modes.map((mode) => [mode, outcome(subject(true), mode), outcome(subject(false), mode), outcome(subject(false, false), mode)])).toEqual([
      ['ask-risky', 'allow', 'ask', 'ask'],
      ['auto-in-sandbox', 'allow', 'allow', 'ask'],
      ['ask-always', 'ask', 'ask', 'ask'],
      ['read-only', 'allow', 'refused', 'refused']
    ])
  })

  it('takes rules that name the server or the tool; deny wins, and a saved allow does not lift ask-always', () => {
    const allowServer: PrefixRule = { decision: 'allow', prefix: ['mcp:gh'] }
    const denyTool: PrefixRule = { decision: 'deny', prefix: ['mcp:gh', 'create_issue'] }
    expect(outcome(subject(false), 'ask-risky', { ...NO_RULES, saved: [allowServer] })).toBe('allow')
    expect(outcome(subject(false), 'ask-risky', { ...NO_RULES, saved: [allowServer, denyTool] })).toBe('refused')
    expect(outcome(subject(true), 'ask-risky', { ...NO_RULES, saved: [denyTool] })).toBe('refused')
    expect(outcome(subject(false), 'ask-always', { ...NO_RULES, saved: [allowServer] })).toBe('ask')
    expect(outcome(subject(false), 'ask-always', { ...NO_RULES, run: [allowServer] })).toBe('allow')
    expect(outcome(subject(false), 'ask-risky', { ...NO_RULES, saved: [{ decision: 'allow', prefix: ['mcp:other'] }] })).toBe('ask')
    expect(mcpVerdict(subject(false), 'ask-risky', NO_RULES).suggestedRule).toEqual(['mcp:gh', 'create_issue'])
  })

  it('ignores shell rules, and shell verdicts ignore MCP rules', () => {
    expect(outcome(subject(false), 'ask-risky', { ...NO_RULES, saved: [{ decision: 'allow', prefix: ['gh'] }] })).toBe('ask')
    expect(isMcpRule({ decision: 'allow', prefix: ['mcp:gh'] })).toBe(true)
    expect(isMcpRule({ decision: 'allow', prefix: ['npm', 'test'] })).toBe(false)
  })
})
