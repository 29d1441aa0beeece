import { describe, expect, it } from 'vitest'
import { stamp, STEP_MS } from '../../test-support/run-records'
import { sampleRun } from '../../test-support/sample-run'
import { median, summarizeMetrics } from './metrics-summary'
import { foldRecords } from './reduce'
import { initialRunState } from './state'

describe('summarizeMetrics', () => {
  it('sums and takes medians over the turns and calls of a run', () => {
    const bodies = sampleRun()
    const state = foldRecords(stamp(bodies))
    expect(summarizeMetrics(state)).toEqual({
      // Turn 2 was sent twice (the first attempt dropped); the resend replaces it.
      turns: 2,
      incrementalTurns: 0,
      fullTurns: 2,
      bytesSent: 900 + 2400,
      medianFirstEventMs: (210 + 330) / 2,
      medianTurnMs: (1300 + 900) / 2,
      toolCalls: 1,
      medianToolRunMs: 1800,
      approvalWaitMs: 0,
      hostWaitMs: 9,
      reconnects: 1,
      rotations: 0,
      fellBack: false,
      durationMs: (bodies.length - 1) * STEP_MS
    })
  })

  it('has nulls and zeros for an empty run', () => {
    expect(summarizeMetrics(initialRunState)).toEqual({
      turns: 0,
      incrementalTurns: 0,
      fullTurns: 0,
      bytesSent: 0,
      medianFirstEventMs: null,
      medianTurnMs: null,
      toolCalls: 0,
      medianToolRunMs: null,
      approvalWaitMs: 0,
      hostWaitMs: 0,
      reconnects: 0,
      rotations: 0,
      fellBack: false,
      durationMs: null
    })
  })
})

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones, without reordering its input', () => {
    const values = [9, 1, 5]
    expect(median(values)).toBe(5)
    expect(values).toEqual([9, 1, 5])
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeNull()
  })
})
