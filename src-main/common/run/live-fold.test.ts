// The live fold against the pure one on long generated runs: the same state record for record,
// hand-outs that never change afterwards, and a cost per record that does not grow with the run.
import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../test-support/prng'
import { DEFAULT_SHAPE, generateRun } from '../../test-support/run-generator'
import { stamp } from '../../test-support/run-records'
import type { RunRecord } from './records'
import { foldRecords, LiveFold, reduce } from './reduce'
import type { RunState } from './state'
import { initialRunState } from './state'

/** A long run: many turns with small outputs, so records are many and the state's collections large. */
function longRun(seed: number, turns: number): RunRecord[] {
  return stamp(generateRun(seededRandom(seed), { ...DEFAULT_SHAPE, turns, textChunks: [2, 8], toolOutputBytes: [0, 8 * 1024] }))
}

/** A deep copy to compare a handed-out state with later: equal only if nothing in it changed. */
const frozenCopy = (state: RunState): RunState => structuredClone(state)

describe('LiveFold', () => {
  it('folds thousands of records to the state a replay of the same records rebuilds', () => {
    for (const seed of [1, 2, 3]) {
      const records = longRun(seed, 300)
      expect(records.length).toBeGreaterThan(5_000)
      const fold = new LiveFold()
      for (const record of records) fold.apply(record)
      expect(fold.snapshot()).toStrictEqual(foldRecords(records))
    }
  })

  it('equals the one-step reducer at every hand-out, and what it handed out never changes', () => {
    const records = longRun(7, 60)
    const fold = new LiveFold()
    let stepwise = initialRunState
    const handedOut: { state: RunState; copy: RunState }[] = []
    records.forEach((record, index) => {
      fold.apply(record)
      stepwise = reduce(stepwise, record)
      if (index % 97 === 0) {
        const state = fold.snapshot()
        expect(state).toStrictEqual(stepwise)
        handedOut.push({ state, copy: frozenCopy(state) })
      }
    })
    expect(fold.snapshot()).toStrictEqual(stepwise)
    for (const { state, copy } of handedOut) expect(state).toStrictEqual(copy)
  })

  it('hands out frames whose views never change while its collections move on', () => {
    const records = longRun(11, 60)
    const fold = new LiveFold()
    const frames: { frame: RunState; items: RunState['items']; calls: RunState['toolCalls']; copies: string }[] = []
    records.forEach((record, index) => {
      fold.apply(record)
      if (index % 13 === 0) {
        const frame = fold.frame()
        // The views the frame points at now, kept by reference.
        const items = { ...frame.items }
        const calls = { ...frame.toolCalls }
        frames.push({ frame, items, calls, copies: JSON.stringify([items, calls, frame.cursor, frame.transport]) })
      }
    })
    for (const { frame, items, calls, copies } of frames) {
      expect(JSON.stringify([items, calls, frame.cursor, frame.transport])).toBe(copies)
    }
    expect(fold.snapshot()).toStrictEqual(foldRecords(records))
  })

  it('starts from a folded state without changing it', () => {
    const records = longRun(5, 40)
    const half = Math.floor(records.length / 2)
    const start = foldRecords(records.slice(0, half))
    const copy = frozenCopy(start)
    const fold = new LiveFold(start)
    for (const record of records.slice(half)) fold.apply(record)
    expect(start).toStrictEqual(copy)
    expect(fold.current).toStrictEqual(foldRecords(records))
  })

  it('does work per record that does not grow with the run (counted, not timed)', () => {
    // Counts the entries copied into new collections: a per-record copy of a collection the run
    // keeps growing would make the count grow with the square of the run's length.
    const copied = (turns: number): number => {
      const records = longRun(21, turns)
      const fold = new LiveFold()
      const names = ['items', 'toolCalls', 'timeline', 'responses', 'turns', 'toolCallOrder'] as const
      let entries = 0
      for (const record of records) {
        const before = names.map((name) => fold.current[name])
        const next = fold.apply(record)
        names.forEach((name, index) => {
          if (next[name] !== before[index]) entries += Object.keys(next[name]).length
        })
      }
      return entries / records.length
    }
    const small = copied(40)
    const large = copied(400)
    expect(large).toBeLessThan(small * 1.5)
  })
})
