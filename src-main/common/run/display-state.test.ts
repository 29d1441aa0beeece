import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../test-support/prng'
import { DEFAULT_SHAPE, generateRun } from '../../test-support/run-generator'
import { stamp } from '../../test-support/run-records'
import { displayState } from './display-state'
import { foldRecords } from './reduce'

describe('displayState', () => {
  const state = foldRecords(stamp(generateRun(seededRandom(4), { ...DEFAULT_SHAPE, turns: 60, dropRate: 0, toolOutputBytes: [100, 2000] })))
  const withTerminal = state.toolCallOrder.filter((callId) => state.toolCalls[callId]!.terminal.length > 0)

  it('keeps the terminals of the most recent calls and drops older finished ones, leaving the rest of the state as it was', () => {
    expect(withTerminal.length).toBeGreaterThan(20)
    const shown = displayState(state, 10)
    const kept = new Set(state.toolCallOrder.slice(-10))
    expect(state.toolCallOrder.map((callId) => shown.toolCalls[callId]!.terminal.length > 0)).toEqual(
      state.toolCallOrder.map((callId) => kept.has(callId) && state.toolCalls[callId]!.terminal.length > 0)
    )
    for (const callId of state.toolCallOrder) {
      expect({ ...shown.toolCalls[callId], terminal: '', terminalDroppedBytes: 0 }).toEqual({ ...state.toolCalls[callId], terminal: '', terminalDroppedBytes: 0 })
    }
    expect({ ...shown, toolCalls: null }).toEqual({ ...state, toolCalls: null })
    expect(JSON.stringify(shown).length).toBeLessThan(JSON.stringify(state).length)
  })

  it('is the state itself when there is nothing to drop', () => {
    expect(displayState(state, state.toolCallOrder.length)).toBe(state)
  })
})
