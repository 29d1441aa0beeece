// A turn's `instead`: what it plays when the last tool output matches, e.g. after a denial.
import { describe, expect, it } from 'vitest'
import type { InputItem } from '../../src-main/common/protocol/wire'
import type { CreateRequest } from '../protocol/create-request'
import { parseScenario } from '../scenarios/load-scenario'
import { IdFactory } from './ids'
import { ScriptedModel } from './scripted-model'

const SCENARIO = parseScenario(
  {
    name: 'alternative',
    turns: [
      { output: [{ type: 'function_call', name: 'shell', arguments: { command: 'rm -rf build', timeout_ms: null } }] },
      {
        output: [{ type: 'message', text: 'Removed it.' }, { type: 'function_call', name: 'shell', arguments: { command: 'ls', timeout_ms: null } }],
        instead: { lastOutputMatches: '^The person denied', output: [{ type: 'message', text: 'You denied it, so nothing was removed.' }] }
      },
      { output: [{ type: 'message', text: 'All done.' }] }
    ]
  },
  'test'
)

const REQUEST = { generate: true, parallelToolCalls: true, toolChoice: 'auto', includeEncryptedReasoning: false } as CreateRequest

function contextAnswering(output: string): InputItem[] {
  return [
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Clean up.' }] },
    { type: 'function_call', call_id: 'call_1', name: 'shell', arguments: '{"command":"rm -rf build"}' },
    { type: 'function_call_output', call_id: 'call_1', output }
  ] as InputItem[]
}

function played(output: string): unknown[] {
  const model = new ScriptedModel(SCENARIO, () => ({}), new IdFactory('test'))
  return model.respond(REQUEST, contextAnswering(output)).plan.items.map((item) =>
    item.type === 'message' ? { message: item.content.map((part) => ('text' in part ? part.text : '')).join('') } : { call: item.type }
  )
}

describe('a turn played instead', () => {
  it('replaces the turn when the last tool output matches', () => {
    expect(played('The person denied this command: not now')).toEqual([{ message: 'You denied it, so nothing was removed.' }])
  })

  it('leaves the turn as scripted otherwise', () => {
    expect(played('removed 3 files')).toEqual([{ message: 'Removed it.' }, { call: 'function_call' }])
  })

  it('refuses an alternative with function calls, and a pattern that is not a regular expression', () => {
    const turn = (instead: object) => ({ name: 'bad', turns: [{ output: [{ type: 'message', text: 'x' }], instead }] })
    expect(() => parseScenario(turn({ lastOutputMatches: 'x', output: [{ type: 'function_call', name: 'shell', arguments: {} }] }), 'bad.json')).toThrow(/no function calls/)
    expect(() => parseScenario(turn({ lastOutputMatches: '(', output: [{ type: 'message', text: 'y' }] }), 'bad.json')).toThrow(/not a valid regular expression/)
  })
})
