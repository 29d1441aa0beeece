import { describe, expect, it } from 'vitest'
import { requestSent, runStarted, serverEvents, stamp, userTask } from '../../test-support/run-records'
import { SAMPLE_ARGS, sampleRun } from '../../test-support/sample-run'
import { requestError, ResponseStream } from '../../test-support/wire-events'
import { foldRecords } from './reduce'
import { initialRunState } from './state'
import { lastResponseStatus, summarize } from './summary'

describe('summarize', () => {
  it('gives the machine-readable summary of a run', () => {
    const state = foldRecords(stamp(sampleRun()))
    expect(summarize(state, [{ code: 'torn_tail', message: 'the last 12 bytes are an unfinished line' }])).toEqual({
      status: 'completed',
      responses: [
        { id: 'resp_1', status: 'completed', incompleteReason: null },
        { id: 'resp_2', status: 'dropped', incompleteReason: null },
        { id: 'resp_3', status: 'completed', incompleteReason: null }
      ],
      messages: ['All 12 tests pass.'],
      output: [
        { type: 'reasoning', summary: ['Run npm test first.'], text: [] },
        { type: 'function_call', callId: 'call_sh', name: 'shell', arguments: SAMPLE_ARGS },
        { type: 'message', text: 'All 12 tests pass.', refusal: null, phase: null }
      ],
      toolCalls: [{ callId: 'call_sh', name: 'shell', arguments: SAMPLE_ARGS, status: 'ok' }],
      usage: {
        input_tokens: 650,
        input_tokens_details: { cached_tokens: 256, cache_write_tokens: 0 },
        output_tokens: 37,
        output_tokens_details: { reasoning_tokens: 10 },
        total_tokens: 687
      },
      errors: [{ code: 'torn_tail', message: 'the last 12 bytes are an unfinished line' }]
    })
  })

  it('reports in_progress for a response that never ended, and the errors of a failed one', () => {
    const open = new ResponseStream('resp_1').created().message('msg_1', ['Still', ' going'])
    const state = foldRecords(stamp([runStarted(), ...serverEvents(open.events.slice(0, 5))]))
    expect(summarize(state)).toEqual({
      status: 'in_progress',
      responses: [{ id: 'resp_1', status: 'in_progress', incompleteReason: null }],
      messages: ['Still going'],
      output: [{ type: 'message', text: 'Still going', refusal: null, phase: null }],
      toolCalls: [],
      usage: null,
      errors: []
    })
  })
})

describe('lastResponseStatus', () => {
  it('is in_progress before any response, failed when an error ended the turn first', () => {
    expect(lastResponseStatus(initialRunState)).toBe('in_progress')
    const refused = foldRecords(
      stamp([runStarted(), requestSent(1, [userTask('hi')]), { type: 'server.event', event: requestError(400, 'invalid_prompt', 'Bad prompt.') }])
    )
    expect(lastResponseStatus(refused)).toBe('failed')
    expect(summarize(refused).errors).toEqual([{ code: 'invalid_prompt', message: 'Bad prompt.' }])
  })
})
