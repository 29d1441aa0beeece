// The run view of a very long run is its latest transcript entries, and the records that follow
// fold onto it as they do onto the whole state.
import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../test-support/prng'
import { resolvedEntries } from '../../test-support/resolved-entries'
import { DEFAULT_SHAPE, generateRun } from '../../test-support/run-generator'
import { stamp } from '../../test-support/run-records'
import { DISPLAYED_TERMINALS, displayState } from './display-state'
import { foldRecords, LiveFold } from './reduce'
import { replayWindow } from './replay-window'
import { runView } from './run-view'

/** Item keys start with their response's index, which a window renumbers: compared without it. */
function withoutResponseIndexes(entries: unknown[]): unknown {
  return JSON.parse(JSON.stringify(entries).replace(/"\d+:([a-z]+_)/g, '"$1'))
}

const records = stamp(generateRun(seededRandom(23), { ...DEFAULT_SHAPE, turns: 40, toolOutputBytes: [0, 4096] }))

describe('runView', () => {
  it('sends a state whose transcript fits as it is', () => {
    const state = displayState(foldRecords(records))
    expect(runView(state, state.timeline.length)).toStrictEqual({ state, leftOut: 0 })
  })

  it("sends a longer one's latest entries, keeping the terminals the run view keeps", () => {
    const state = displayState(foldRecords(records))
    const keep = 40
    expect(runView(state, keep)).toStrictEqual(replayWindow(state, keep, DISPLAYED_TERMINALS))
    expect(runView(state, keep).leftOut).toBe(state.timeline.length - keep)
  })

  it('folds the records that follow onto the window as the whole state does', () => {
    const cut = records.length - 60
    const view = runView(displayState(foldRecords(records.slice(0, cut))), 40)
    const fold = new LiveFold(view.state)
    for (const record of records.slice(cut)) fold.apply(record)
    const windowed = displayState(fold.snapshot())
    const whole = displayState(foldRecords(records))
    expect(view.leftOut).toBeGreaterThan(0)
    expect(withoutResponseIndexes(resolvedEntries(windowed))).toStrictEqual(withoutResponseIndexes(resolvedEntries(whole).slice(view.leftOut)))
    expect({ status: windowed.status, lastSeq: windowed.lastSeq, usage: windowed.usage }).toStrictEqual({ status: whole.status, lastSeq: whole.lastSeq, usage: whole.usage })
  })
})
