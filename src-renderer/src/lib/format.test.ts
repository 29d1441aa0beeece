import { describe, expect, it } from 'vitest'
import { bytes, duration, logProblemOf } from './format'

describe('format', () => {
  it('gives durations and sizes as people read them', () => {
    expect([duration(null), duration(12.4), duration(1500), duration(42_000), duration(185_000), duration(4_000_000)]).toEqual(['–', '12 ms', '1.5 s', '42 s', '3 min 5 s', '1 h 6 min'])
    expect([bytes(512), bytes(2048), bytes(5 * 1024 * 1024)]).toEqual(['512 B', '2.0 KB', '5.0 MB'])
  })
})

describe('logProblemOf', () => {
  it('says nothing for a healthy log and names damaged lines and a torn tail', () => {
    expect(logProblemOf(null)).toBeNull()
    expect(logProblemOf({ problems: [], problemCount: 0, tornTailBytes: 0 })).toBeNull()
    expect(logProblemOf({ problems: [{ line: 7, reason: 'checksum mismatch' }], problemCount: 3, tornTailBytes: 2048 })).toBe(
      "This run's log is damaged: 3 lines could not be read (line 7: checksum mismatch and 2 more); its last record is incomplete (2.0 KB not shown). What is shown is what could be read."
    )
  })
})
