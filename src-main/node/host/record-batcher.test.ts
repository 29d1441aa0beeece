import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { RunRecord } from '../../common/run/records'
import { RecordBatcher } from './record-batcher'

function record(seq: number): RunRecord {
  return { v: 1, seq, ts: seq, type: 'user.input', kind: 'steer', text: `#${seq}` }
}

describe('RecordBatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('delivers at most one batch per frame, each with the records since the last', () => {
    const batches: number[][] = []
    const batcher = new RecordBatcher({ deliver: (records) => batches.push(records.map((r) => r.seq)), now: () => Date.now() })
    // 5000 records over one second, one every 0.2 ms.
    for (let seq = 0; seq < 5000; seq++) {
      batcher.push(record(seq))
      if (seq % 5 === 4) vi.advanceTimersByTime(1)
    }
    const duringTheSecond = batches.length
    vi.advanceTimersByTime(50)
    expect(duringTheSecond).toBeLessThanOrEqual(60)
    expect(duringTheSecond).toBeGreaterThanOrEqual(55)
    expect(batches.flat()).toEqual(Array.from({ length: 5000 }, (_, seq) => seq))
  })

  it('sends a lone record at once when nothing was sent lately', () => {
    const batches: number[][] = []
    const batcher = new RecordBatcher({ deliver: (records) => batches.push(records.map((r) => r.seq)), now: () => Date.now() })
    batcher.push(record(7))
    vi.advanceTimersByTime(0)
    expect(batches).toEqual([[7]])
  })

  it('holds batches while the connection is congested and sends them as one', () => {
    const batches: number[][] = []
    let congested = true
    const batcher = new RecordBatcher({
      deliver: (records) => batches.push(records.map((r) => r.seq)),
      congested: () => congested,
      now: () => Date.now()
    })
    for (let seq = 0; seq < 10; seq++) {
      batcher.push(record(seq))
      vi.advanceTimersByTime(20)
    }
    expect(batches).toEqual([])
    congested = false
    vi.advanceTimersByTime(20)
    expect(batches).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]])
  })

  it('flushes on demand, discards for a fresh snapshot, and ignores pushes once closed', () => {
    const batches: number[][] = []
    const batcher = new RecordBatcher({ deliver: (records) => batches.push(records.map((r) => r.seq)), now: () => Date.now() })
    batcher.push(record(1))
    batcher.flush()
    batcher.push(record(2))
    batcher.discard()
    batcher.close()
    batcher.push(record(3))
    vi.advanceTimersByTime(100)
    expect(batches).toEqual([[1]])
  })
})
