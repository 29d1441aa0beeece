import { describe, expect, it } from 'vitest'
import { busyTime, mean, median, percentile } from './stats'

describe('stats', () => {
  it('takes medians, nearest-rank percentiles and means', () => {
    expect({
      oddMedian: median([5, 1, 3]),
      evenMedian: median([4, 1, 3, 2]),
      p90of10: percentile([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 0.9),
      p0: percentile([3, 1, 2], 0),
      p100: percentile([3, 1, 2], 1),
      mean: mean([1, 2, 6])
    }).toEqual({ oddMedian: 3, evenMedian: 2.5, p90of10: 9, p0: 1, p100: 3, mean: 3 })
    expect([median([]), percentile([], 0.5), mean([])].every(Number.isNaN)).toBe(true)
  })

  it('counts overlapping intervals once and ignores empty ones', () => {
    expect(busyTime([])).toBe(0)
    expect(busyTime([{ start: 0, end: 10 }, { start: 20, end: 25 }])).toBe(15)
    expect(busyTime([{ start: 5, end: 15 }, { start: 0, end: 10 }, { start: 12, end: 14 }, { start: 30, end: 30 }])).toBe(15)
    expect(busyTime([{ start: 0, end: 10 }, { start: 10, end: 12 }])).toBe(12)
  })
})
