// Checkpoint states held by what a fold wrote down as it changed them give back exactly the states
// the fold went through, also after being thinned to stay within budget at any number held, and
// the work of each checkpoint is what changed since the one before, not what the state holds.
import { describe, expect, it } from 'vitest'
import type { RunRecord } from '../../common/run/records'
import { foldRecords, LiveFold } from '../../common/run/reduce'
import { initialRunState, type RunState } from '../../common/run/state'
import { seededRandom } from '../../test-support/prng'
import { DEFAULT_SHAPE, generateRun } from '../../test-support/run-generator'
import { stamp } from '../../test-support/run-records'
import { ENTRIES_PER_SLICE, RECORD_FIELDS, StateHistory, finishNow } from './state-history'
import { StateJournal } from './state-journal'

const EVERY = 40

interface Folded {
  states: StateHistory
  /** The working state and the step from it back to the last state pushed. */
  restore(k: number): RunState
}

/** A fold over `records` that pushes a state every EVERY records, as the replay index does. */
function folded(records: RunRecord[], budget: number, pushes: number, extra = 0): Folded {
  const states = new StateHistory(budget)
  const journal = new StateJournal(initialRunState)
  const fold = new LiveFold(initialRunState, { observer: journal })
  records.slice(0, pushes * EVERY + extra).forEach((record, index) => {
    fold.apply(record)
    if ((index + 1) % EVERY !== 0 || index + 1 > pushes * EVERY) return
    const state = fold.seal()
    states.push(journal.stepBack(state))
    journal.begin(state)
  })
  return { states, restore: (k) => finishNow(states.restore(k, fold.seal(), journal.stepBack(fold.current))) }
}

/** Thins as the index does between chunks, at once. */
async function thinned(history: Folded): Promise<Folded> {
  await history.states.thin()
  return history
}

describe('StateHistory', () => {
  const records = stamp(generateRun(seededRandom(21), { ...DEFAULT_SHAPE, turns: 30 }))
  const all = Math.floor(records.length / EVERY)

  it('gives back every state pushed, from a working state that went on past the last', () => {
    for (const extra of [0, 1, EVERY - 1]) {
      const history = folded(records, Number.POSITIVE_INFINITY, all - 1, extra)
      expect(history.states.spacing).toBe(1)
      expect(history.states.length).toBe(all)
      for (let k = 0; k < history.states.length; k++) expect(history.restore(k), `state ${k}, ${extra} after`).toStrictEqual(foldRecords(records.slice(0, k * EVERY)))
    }
  })

  it('thinned within its budget, gives back the states it kept, whatever the number held when thinned', async () => {
    const unbounded = folded(records, Number.POSITIVE_INFINITY, all).states.heldBytes
    for (const [budget, pushes] of [3, 4, 5, 6, 7, 9].flatMap((share) => [all - 1, all].map((pushes) => [Math.floor(unbounded / share), pushes] as const))) {
      const history = await thinned(folded(records, budget, pushes, 7))
      const { states } = history
      expect(states.heldBytes).toBeLessThanOrEqual(budget)
      expect(states.spacing).toBeGreaterThan(1)
      expect(states.length).toBe(Math.floor(pushes / states.spacing) + 1)
      for (let k = 0; k < states.length; k++) {
        expect(history.restore(k), `state ${k} of ${pushes} pushed, budget ${budget}`).toStrictEqual(foldRecords(records.slice(0, k * states.spacing * EVERY)))
      }
    }
  })

  it('writes down per checkpoint what changed since the one before, however large the state', () => {
    const long = stamp(generateRun(seededRandom(22), { ...DEFAULT_SHAPE, turns: 400 }))
    const journal = new StateJournal(initialRunState)
    const fold = new LiveFold(initialRunState, { observer: journal })
    const entries: number[] = []
    long.forEach((record, index) => {
      fold.apply(record)
      if ((index + 1) % EVERY !== 0) return
      const state = fold.seal()
      const step = journal.stepBack(state)
      entries.push(Object.values(step.arrays).reduce((sum, change) => sum + (change?.changed.length ?? 0), 0) + Object.values(step.records).reduce((sum, change) => sum + (change ? change.changed.length + change.added.length : 0), 0))
      journal.begin(state)
    })
    const final = fold.current
    expect(Object.keys(final.items).length + final.timeline.length).toBeGreaterThan(20 * EVERY)
    // A step holds at most a few entries per record folded, at the start of the run as at its end.
    expect(Math.max(...entries)).toBeLessThanOrEqual(4 * EVERY)
    // The keys a copy walks are the collections' own, each once.
    for (const field of RECORD_FIELDS) expect(journal.keysOf(final, field).toSorted(), field).toStrictEqual(Object.keys(final[field]).toSorted())
  })

  it('gives the event loop back every few thousand entries while it copies a large state', () => {
    const entries = 6 * ENTRIES_PER_SLICE
    const items = Object.fromEntries(Array.from({ length: entries / 2 }, (_, index) => [`item_${index}`, { key: `item_${index}` }]))
    const timeline = Array.from({ length: entries / 2 }, (_, index) => ({ kind: 'item', key: `item_${index}` }))
    const newest = { ...initialRunState, items, timeline } as unknown as RunState
    const journal = new StateJournal(newest)
    const walk = new StateHistory().restore(0, newest, journal.stepBack(newest))
    let pauses = 0
    let step = walk.next()
    for (; !step.done; step = walk.next()) pauses += 1
    expect(step.value).toStrictEqual(newest)
    expect(step.value.items).not.toBe(items)
    expect(step.value.timeline).not.toBe(timeline)
    expect(pauses).toBeGreaterThanOrEqual(entries / ENTRIES_PER_SLICE - 1)
  })
})
