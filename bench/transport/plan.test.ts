import { describe, expect, it } from 'vitest'
import { planRounds } from './plan'

describe('planRounds', () => {
  it('puts warm-ups first, then every repetition and RTT with the first client rotating per repetition', () => {
    const rounds = planRounds(['a', 'b', 'c'], [{ name: 'base', rttsMs: [0, 20], repetitions: 2 }, { name: 'render-cost', rttsMs: [20], repetitions: 1 }], 1)
    expect(rounds).toEqual([
      { variant: 'base', repetition: 0, rttMs: 0, warmup: true, clients: ['a', 'b', 'c'] },
      { variant: 'base', repetition: 0, rttMs: 0, warmup: false, clients: ['a', 'b', 'c'] },
      { variant: 'base', repetition: 0, rttMs: 20, warmup: false, clients: ['a', 'b', 'c'] },
      { variant: 'base', repetition: 1, rttMs: 0, warmup: false, clients: ['b', 'c', 'a'] },
      { variant: 'base', repetition: 1, rttMs: 20, warmup: false, clients: ['b', 'c', 'a'] },
      { variant: 'render-cost', repetition: 0, rttMs: 20, warmup: false, clients: ['a', 'b', 'c'] }
    ])
  })

  it('plans nothing without variants', () => {
    expect(planRounds(['a'], [], 2)).toEqual([])
  })
})
