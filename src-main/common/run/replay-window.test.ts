// A replay window shows the last entries of the state exactly as the state does: every entry
// resolves to the same input, item, call, approval and response, with indexes renumbered.
import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../test-support/prng'
import { DEFAULT_SHAPE, generateRun } from '../../test-support/run-generator'
import { resolvedEntries as resolved } from '../../test-support/resolved-entries'
import { stamp } from '../../test-support/run-records'
import { displayState } from './display-state'
import { foldRecords } from './reduce'
import { REPLAY_TERMINALS, replayWindow } from './replay-window'
import type { RunState } from './state'

function longState(): RunState {
  return foldRecords(stamp(generateRun(seededRandom(11), { ...DEFAULT_SHAPE, turns: 40, toolOutputBytes: [0, 4096] })))
}

describe('replayWindow', () => {
  it('keeps a short state whole', () => {
    const state = longState()
    expect(replayWindow(state, state.timeline.length)).toStrictEqual({ state: displayState(state, REPLAY_TERMINALS), leftOut: 0 })
  })

  it('shows the last entries as the whole state does, and nothing from before them', () => {
    const state = longState()
    const keep = 30
    const { state: window, leftOut } = replayWindow(state, keep)
    expect(leftOut).toBe(state.timeline.length - keep)
    expect(window.timeline).toHaveLength(keep)
    expect(resolved(window)).toStrictEqual(resolved(state).slice(leftOut))
    // Responses keep their order; only those the entries name are sent.
    const kept = window.responses.map((response) => state.responses.indexOf(response))
    expect(kept).toStrictEqual([...kept].sort((a, b) => a - b))
    expect(window.responses.length).toBeLessThan(state.responses.length)
    expect(Object.keys(window.items).length).toBeLessThanOrEqual(keep)
    expect(window.toolCallOrder.every((callId) => window.toolCalls[callId] !== undefined)).toBe(true)
    expect(window.toolCallOrder.length).toBeLessThan(state.toolCallOrder.length)
    expect(Object.values(window.responseIndexById).every((index) => window.responses[index] !== undefined)).toBe(true)
    expect({ status: window.status, lastSeq: window.lastSeq, usage: window.usage }).toStrictEqual({ status: state.status, lastSeq: state.lastSeq, usage: state.usage })
  })
})
