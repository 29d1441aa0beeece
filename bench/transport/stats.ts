// Small statistics for benchmark samples.

export interface Interval {
  start: number
  end: number
}

/** Nearest-rank percentile on sorted copies; `q` in [0, 1]. NaN for no samples. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank] as number
}

/** The middle sample, or the mean of the two middle ones. NaN for no samples. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

export function mean(samples: readonly number[]): number {
  return samples.length === 0 ? Number.NaN : samples.reduce((sum, value) => sum + value, 0) / samples.length
}

/** Total length covered by the intervals, overlaps counted once. */
export function busyTime(intervals: readonly Interval[]): number {
  const sorted = [...intervals].filter((interval) => interval.end > interval.start).sort((a, b) => a.start - b.start)
  let total = 0
  let openStart = Number.NEGATIVE_INFINITY
  let openEnd = Number.NEGATIVE_INFINITY
  for (const { start, end } of sorted) {
    if (start > openEnd) {
      if (openEnd > openStart) total += openEnd - openStart
      openStart = start
      openEnd = end
    } else if (end > openEnd) {
      openEnd = end
    }
  }
  if (openEnd > openStart) total += openEnd - openStart
  return total
}
