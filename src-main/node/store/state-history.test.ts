// Checkpoint states held by their changes give back exactly the states pushed, also after being
// thinned to stay within budget at any number of states held.
import { describe, expect, it } from 'vitest'
import type { RunRecord } from '../../common/run/records'
import { foldRecords, LiveFold } from '../../common/run/reduce'
import { initialRunState } from '../../common/run/state'
import { seededRandom } from '../../test-support/prng'
import { DEFAULT_SHAPE, generateRun } from '../../test-support/run-generator'
import { stamp } from '../../test-support/run-records'
import { StateHistory } from './state-history'

const EVERY = 40

function history(records: RunRecord[], budget: number, pushes: number): StateHistory {
  const states = new StateHistory(initialRunState, budget)
  const fold = new LiveFold()
  records.slice(0, pushes * EVERY).forEach((record, index) => {
    fold.apply(record)
    if ((index + 1) % EVERY === 0) states.push(fold.snapshot())
  })
  return states
}

describe('StateHistory', () => {
  const records = stamp(generateRun(seededRandom(21), { ...DEFAULT_SHAPE, turns: 30 }))

  it('gives back every state pushed', () => {
    const states = history(records, Number.POSITIVE_INFINITY, Math.floor(records.length / EVERY))
    expect(states.spacing).toBe(1)
    for (let k = 0; k < states.length; k++) expect(states.at(k), `state ${k}`).toStrictEqual(foldRecords(records.slice(0, k * EVERY)))
  })

  it('thinned within its budget, gives back the states it kept, whatever the number held when thinned', () => {
    const all = Math.floor(records.length / EVERY)
    const unbounded = history(records, Number.POSITIVE_INFINITY, all).heldBytes
    for (const [budget, pushes] of [3, 4, 5, 6, 7, 9].flatMap((share) => [all - 1, all].map((pushes) => [Math.floor(unbounded / share), pushes] as const))) {
      const states = history(records, budget, pushes)
      expect(states.heldBytes).toBeLessThanOrEqual(budget)
      expect(states.spacing).toBeGreaterThan(1)
      expect(states.length).toBe(Math.floor(pushes / states.spacing) + 1)
      for (let k = 0; k < states.length; k++) {
        expect(states.at(k), `state ${k} of ${pushes} pushed, budget ${budget}`).toStrictEqual(foldRecords(records.slice(0, k * states.spacing * EVERY)))
      }
    }
  })
})
