import { describe, expect, it } from 'vitest'
import { parseDuration, retryHeadersOf, retryHintsOf } from './retry-hints'

const NOW = Date.parse('2026-12-06T21:00:00Z')

describe('retryHintsOf', () => {
  it('prefers retry-after-ms, then retry-after in seconds or as a date, then the rate-limit resets', () => {
    expect([
      retryHintsOf({ 'retry-after-ms': '1250', 'retry-after': '9' }, NOW),
      retryHintsOf({ 'Retry-After': '2' }, NOW),
      retryHintsOf({ 'retry-after': 'Sun, 06 Dec 2026 21:00:03 GMT' }, NOW),
      retryHintsOf({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1m2s', 'x-ratelimit-remaining-tokens': '900', 'x-ratelimit-reset-tokens': '6m0s' }, NOW),
      retryHintsOf({ 'x-ratelimit-reset-tokens': '20ms', 'x-ratelimit-reset-requests': '1.5s' }, NOW),
      retryHintsOf({ 'x-should-retry': 'false' }, NOW),
      retryHintsOf({ 'x-should-retry': 'true', 'retry-after': 'soon' }, NOW),
      retryHintsOf(null, NOW)
    ]).toEqual([
      { shouldRetry: null, delayMs: 1250 },
      { shouldRetry: null, delayMs: 2000 },
      { shouldRetry: null, delayMs: 3000 },
      { shouldRetry: null, delayMs: 62_000 },
      { shouldRetry: null, delayMs: 1500 },
      { shouldRetry: false, delayMs: null },
      { shouldRetry: true, delayMs: null },
      { shouldRetry: null, delayMs: null }
    ])
  })

  it('reads durations the way the rate-limit headers write them', () => {
    expect(['1s', '6m0s', '20ms', '1h2m3.5s', '0.5', 'later', '5x'].map(parseDuration)).toEqual([1000, 360_000, 20, 3_723_500, 500, null, null])
  })

  it('keeps only the retry headers', () => {
    expect(retryHeadersOf({ 'retry-after': '1', authorization: 'Bearer sk-secret', 'set-cookie': ['a'], 'x-should-retry': 'true' })).toEqual({
      'retry-after': '1',
      'x-should-retry': 'true'
    })
    expect(retryHeadersOf({ 'content-type': 'application/json' })).toBeNull()
  })
})
