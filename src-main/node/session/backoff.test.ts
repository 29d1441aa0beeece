import { describe, expect, it } from 'vitest'
import { backoffDelayMs } from './backoff'

describe('backoffDelayMs', () => {
  it('draws from the whole window up to a capped exponential ceiling', () => {
    const top = { baseMs: 100, capMs: 1000, random: () => 0.999999 }
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffDelayMs(top, attempt))).toEqual([99, 199, 399, 799, 999, 999])
    const bottom = { baseMs: 100, capMs: 1000, random: () => 0 }
    expect([0, 5].map((attempt) => backoffDelayMs(bottom, attempt))).toEqual([0, 0])
  })
})
