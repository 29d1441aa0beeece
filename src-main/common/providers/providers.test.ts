import { describe, expect, it } from 'vitest'
import { defaultModelOf, isProviderName, PROVIDER_NAMES, PROVIDERS } from './providers'
import { REASONING_EFFORTS, reasoningField } from './reasoning'

describe('providers', () => {
  it('has one row per name, each naming itself', () => {
    expect(PROVIDER_NAMES.map((name) => PROVIDERS[name].name)).toEqual(['openai', 'xai', 'custom'])
    expect(PROVIDER_NAMES.map(defaultModelOf)).toEqual(['gpt-5.2', 'grok-4.20-reasoning', 'gpt-5.2'])
    expect([isProviderName('xai'), isProviderName('sim'), isProviderName(3)]).toEqual([true, false, false])
  })

  it('says what an xAI continuation may carry', () => {
    expect(PROVIDERS.xai.continuation).toEqual({ instructions: false })
    expect(PROVIDERS.openai.continuation).toEqual({ instructions: true })
  })
})

describe('reasoningField', () => {
  it('leaves out what was not asked for', () => {
    expect([
      reasoningField({ effort: null, summary: 'none' }),
      reasoningField({ effort: 'high', summary: 'none' }),
      reasoningField({ effort: null, summary: 'auto' }),
      reasoningField({ effort: 'xhigh', summary: 'detailed' })
    ]).toEqual([null, { effort: 'high' }, { summary: 'auto' }, { effort: 'xhigh', summary: 'detailed' }])
    expect(REASONING_EFFORTS).toEqual(['minimal', 'low', 'medium', 'high', 'xhigh'])
  })
})
