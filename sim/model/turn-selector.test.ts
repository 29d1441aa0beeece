import { describe, expect, it } from 'vitest'
import type { InputItem } from '../../src-main/common/protocol/wire'
import { chooseTurn, positionOf } from './turn-selector'

const user = (content: string): InputItem => ({ type: 'message', role: 'user', content })
const assistant = (text: string, status: 'completed' | 'incomplete' = 'completed'): InputItem =>
  ({ type: 'message', role: 'assistant', status, id: 'msg_1', content: [{ type: 'output_text', text, annotations: [] }] }) as InputItem
const call = (callId: string): InputItem => ({ type: 'function_call', call_id: callId, name: 'shell', arguments: '{}' })
const output = (callId: string): InputItem => ({ type: 'function_call_output', call_id: callId, output: 'ok' })

// calls per turn: 2 (parallel), 1, 0 (summary), 0 (answer to a follow-up), 3
const SCRIPT = [2, 1, 0, 0, 3]

describe('choosing the next turn from the conversation', () => {
  it('counts tool outputs and completed assistant messages after the last output', () => {
    expect(positionOf([user('task'), assistant('a'), call('c1'), output('c1'), assistant('b'), assistant('cut', 'incomplete'), user('more')])).toEqual({
      toolOutputs: 1,
      assistantMessagesSinceLastOutput: 1
    })
  })

  it('walks the script as tool outputs accumulate', () => {
    expect(chooseTurn(SCRIPT, { toolOutputs: 0, assistantMessagesSinceLastOutput: 0 })).toEqual({ kind: 'turn', turnIndex: 0, callsAnswered: 0 })
    expect(chooseTurn(SCRIPT, { toolOutputs: 2, assistantMessagesSinceLastOutput: 0 })).toEqual({ kind: 'turn', turnIndex: 1, callsAnswered: 0 })
    expect(chooseTurn(SCRIPT, { toolOutputs: 3, assistantMessagesSinceLastOutput: 0 })).toEqual({ kind: 'turn', turnIndex: 2, callsAnswered: 0 })
  })

  it('continues a turn whose calls were partly answered', () => {
    expect(chooseTurn(SCRIPT, { toolOutputs: 1, assistantMessagesSinceLastOutput: 0 })).toEqual({ kind: 'turn', turnIndex: 0, callsAnswered: 1 })
    expect(chooseTurn(SCRIPT, { toolOutputs: 5, assistantMessagesSinceLastOutput: 0 })).toEqual({ kind: 'turn', turnIndex: 4, callsAnswered: 2 })
  })

  it('steps through turns without calls by the answers already given', () => {
    expect(chooseTurn(SCRIPT, { toolOutputs: 3, assistantMessagesSinceLastOutput: 1 })).toEqual({ kind: 'turn', turnIndex: 3, callsAnswered: 0 })
    expect(chooseTurn(SCRIPT, { toolOutputs: 3, assistantMessagesSinceLastOutput: 2 })).toEqual({ kind: 'turn', turnIndex: 4, callsAnswered: 0 })
    expect(chooseTurn(SCRIPT, { toolOutputs: 3, assistantMessagesSinceLastOutput: 9 })).toEqual({ kind: 'turn', turnIndex: 4, callsAnswered: 0 })
  })

  it('is exhausted after the last turn', () => {
    expect(chooseTurn(SCRIPT, { toolOutputs: 6, assistantMessagesSinceLastOutput: 0 })).toEqual({ kind: 'exhausted' })
    expect(chooseTurn([1, 0], { toolOutputs: 1, assistantMessagesSinceLastOutput: 1 })).toEqual({ kind: 'exhausted' })
  })

  it('ignores steering and other user messages', () => {
    const plain = positionOf([user('task'), call('a'), call('b'), output('a'), output('b')])
    const steered = positionOf([user('task'), call('a'), call('b'), user('also check X'), output('a'), user('hurry'), output('b'), user('one more thing')])
    expect(steered).toEqual(plain)
  })
})
