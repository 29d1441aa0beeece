import { describe, expect, it } from 'vitest'
import { runStarted, serverEvents, stamp } from '../../test-support/run-records'
import { SAMPLE_ARGS, SAMPLE_TASK, sampleRun } from '../../test-support/sample-run'
import { ResponseStream, wireUsage } from '../../test-support/wire-events'
import { foldRecords } from './reduce'
import { assistantMessagesOf, messageTextOf, transcriptOf } from './transcript'

describe('transcriptOf', () => {
  it('rebuilds what the model has seen, in order, leaving out dropped output and interrupts', () => {
    const state = foldRecords(stamp(sampleRun()))
    expect(transcriptOf(state)).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: SAMPLE_TASK }] },
      { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Run npm test first.' }], encrypted_content: 'gAAAA-enc' },
      { type: 'function_call', call_id: 'call_sh', name: 'shell', arguments: SAMPLE_ARGS },
      { type: 'function_call_output', call_id: 'call_sh', output: 'ok 12 tests' },
      {
        id: 'msg_3',
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: 'All 12 tests pass.', annotations: [] }]
      },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Also run the linter' }] }
    ])
  })

  it('keeps the output of an incomplete response and leaves out a failed one', () => {
    const incomplete = new ResponseStream('resp_1').created().message('msg_1', ['Partial answer']).incomplete('max_output_tokens', wireUsage(10, 5))
    const failed = new ResponseStream('resp_2').created().message('msg_2', ['Broken']).failed('server_error', 'The server had an error.')
    const state = foldRecords(stamp([runStarted(), ...serverEvents(incomplete.events), ...serverEvents(failed.events)]))
    expect(transcriptOf(state)).toEqual([
      { id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Partial answer', annotations: [] }] }
    ])
  })

  it('resends a refusal as a refusal part', () => {
    const refused = new ResponseStream('resp_1').created().refusal('msg_1', ['I cannot do that.']).completed(wireUsage(10, 5))
    const state = foldRecords(stamp([runStarted(), ...serverEvents(refused.events)]))
    expect(transcriptOf(state)).toEqual([
      { id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'refusal', refusal: 'I cannot do that.' }] }
    ])
  })
})

describe('assistantMessagesOf and messageTextOf', () => {
  it('lists assistant text in output order across responses, without dropped output', () => {
    const state = foldRecords(stamp(sampleRun()))
    expect(assistantMessagesOf(state)).toEqual(['All 12 tests pass.'])
    expect(Object.values(state.items).map(messageTextOf)).toEqual([null, null, 'All 12 tests', 'All 12 tests pass.'])
  })

  it('has no text for a message that only refuses', () => {
    const refused = new ResponseStream('resp_1').created().refusal('msg_1', ['No.']).completed(wireUsage(10, 5))
    const state = foldRecords(stamp([runStarted(), ...serverEvents(refused.events)]))
    expect(assistantMessagesOf(state)).toEqual([])
  })
})
