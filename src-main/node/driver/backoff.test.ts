import { describe, expect, it } from 'vitest'
import { backoffDelayMs } from './backoff'

describe('backoffDelayMs', () => {
  it('doubles up to the cap and takes off at most a quarter at random', () => {
    const most = { baseMs: 500, capMs: 8000, random: () => 0 }
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffDelayMs(most, attempt))).toEqual([500, 1000, 2000, 4000, 8000, 8000])
    const least = { baseMs: 500, capMs: 8000, random: () => 1 }
    expect([0, 1, 5].map((attempt) => backoffDelayMs(least, attempt))).toEqual([375, 750, 6000])
  })
})
