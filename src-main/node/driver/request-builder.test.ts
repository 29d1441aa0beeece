import { describe, expect, it } from 'vitest'
import { foldRecords } from '../../common/run/reduce'
import { PROVIDERS } from '../../common/providers/providers'
import { runStarted, stamp } from '../../test-support/run-records'
import { WEATHER_TOOL } from '../../test-support/wire-events'
import { buildRequest, type RequestSettings } from './request-builder'

const state = foldRecords(stamp([runStarted(), { type: 'user.input', kind: 'task', text: 'Weather in Paris?' }]))
const settings = (overrides: Partial<RequestSettings> = {}): RequestSettings => ({
  model: 'gpt-5.2',
  instructions: 'Be terse.',
  tools: [WEATHER_TOOL],
  store: false,
  reasoning: null,
  continuation: PROVIDERS.openai.continuation,
  ...overrides
})

describe('buildRequest', () => {
  it('asks for reasoning effort and a summary only when chosen', () => {
    const asked = buildRequest(state, settings({ reasoning: { effort: 'high', summary: 'detailed' } }), null).body
    const unasked = buildRequest(state, settings({ reasoning: { effort: null, summary: 'none' } }), null).body
    expect([asked.reasoning, 'reasoning' in unasked, asked.include]).toEqual([{ effort: 'high', summary: 'detailed' }, false, ['reasoning.encrypted_content']])
  })

  it('sends instructions on an xAI continuation only when the whole transcript goes', () => {
    const xai = settings({ continuation: PROVIDERS.xai.continuation })
    expect([
      'instructions' in buildRequest(state, xai, 'resp_1').body,
      buildRequest(state, xai, null).body.instructions,
      buildRequest(state, settings(), 'resp_1').body.instructions
    ]).toEqual([false, 'Be terse.', 'Be terse.'])
  })
})
