import { describe, expect, it } from 'vitest'
import { makeUsage } from '../protocol/response-object'
import { promptCacheHit } from './prepare-response'

describe('the prompt cache as OpenAI reports it', () => {
  it('reports no hit below 1,024 tokens, and hits in steps of 128 above', () => {
    expect([0, 500, 1023, 1024, 1100, 1151, 1152, 5000].map(promptCacheHit)).toEqual([0, 0, 0, 1024, 1024, 1024, 1152, 4992])
  })

  it('writes nothing to the cache for a short prompt', () => {
    expect(makeUsage({ input: 300, cached: 0, output: 5, reasoning: 0 }).input_tokens_details).toEqual({ cached_tokens: 0, cache_write_tokens: 0 })
    expect(makeUsage({ input: 3000, cached: 1024, output: 5, reasoning: 0 }).input_tokens_details).toEqual({ cached_tokens: 1024, cache_write_tokens: 1976 })
  })
})
