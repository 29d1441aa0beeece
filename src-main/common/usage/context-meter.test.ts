import { describe, expect, it } from 'vitest'
import type { Usage } from '../protocol/wire'
import { initialRunState, type ResponseView, type RunState } from '../run/state'
import { contextMeterOf, costOfUsage, describeMeter, formatTokens, MODEL_TABLE, modelEntry } from './context-meter'

function usage(input: number, cached: number, output: number): Usage {
  return { input_tokens: input, input_tokens_details: { cached_tokens: cached }, output_tokens: output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: input + output } as Usage
}

function response(status: ResponseView['status'], used: Usage | null): ResponseView {
  return { id: null, turn: 1, status, previousResponseId: null, itemKeys: [], usage: used, error: null, incompleteReason: null, ended: status !== 'in_progress' }
}

function run(provider: string, model: string, responses: ResponseView[]): RunState {
  return { ...initialRunState, provider: { name: provider, baseUrl: '' }, model, responses }
}

describe('the context and cost meter', () => {
  it('finds models by id, by dated snapshot, and a gateway\'s models by id alone', () => {
    expect(modelEntry('openai', 'gpt-5.2')?.contextWindow).toBe(400_000)
    expect(modelEntry('openai', 'gpt-5.2-2025-12-11')?.model).toBe('gpt-5.2')
    expect(modelEntry('openai', 'gpt-5.2-codex')?.model).toBe('gpt-5.2-codex')
    expect(modelEntry('openai', 'gpt-5.2-mini')).toBeNull()
    expect(modelEntry('custom', 'grok-code-fast-1')?.provider).toBe('xai')
    expect(modelEntry('sim', 'anything')?.input).toBe(0)
    expect(modelEntry('xai', 'unknown-model')).toBeNull()
    for (const entry of MODEL_TABLE) expect(entry.source.length).toBeGreaterThan(0)
  })

  it('prices cached input apart, and a long request at the long-context rate', () => {
    const gpt = modelEntry('openai', 'gpt-5.2')!
    // 100k input of which 80k cached, 2k output: 20k × 1.75 + 80k × 0.175 + 2k × 14 per million.
    expect(costOfUsage(usage(100_000, 80_000, 2_000), gpt)).toBeCloseTo(0.035 + 0.014 + 0.028, 10)
    const grok = modelEntry('xai', 'grok-4.20-reasoning')!
    expect(costOfUsage(usage(250_000, 0, 1_000), grok)).toBeCloseTo(250_000 * 2.5e-6 + 1_000 * 5e-6, 10)
  })

  it('shows the last answered request against the window, its cache, and the run\'s cost', () => {
    const state = run('openai', 'gpt-5.2', [
      response('completed', usage(10_000, 0, 500)),
      response('completed', usage(12_000, 9_000, 300)),
      response('dropped', usage(1, 0, 1))
    ])
    const meter = contextMeterOf(state)
    expect(meter).toEqual({
      usedTokens: 12_300,
      cachedTokens: 9_000,
      windowTokens: 400_000,
      costUsd: expect.any(Number),
      inputTokens: 0,
      outputTokens: 0,
      compactions: 0
    })
    expect(describeMeter(meter)).toBe('Context 12.3k / 400k · 9k cached · $0.04')
    expect(describeMeter(contextMeterOf(run('custom', 'sim-model', [])))).toBe('Context – / ? · cost unknown')
  })

  it('formats token counts compactly', () => {
    expect([0, 999, 1000, 12_345, 99_950, 400_000, 1_047_576, 2_000_000].map(formatTokens)).toEqual(['0', '999', '1k', '12.3k', '100k', '400k', '1.05M', '2M'])
  })
})
