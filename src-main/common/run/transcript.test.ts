import { describe, expect, it } from 'vitest'
import { functionOutput, requestSent, runStarted, serverEvents, stamp, toolFinished, userTask } from '../../test-support/run-records'
import { SAMPLE_ARGS, SAMPLE_TASK, sampleRun } from '../../test-support/sample-run'
import { ResponseStream, wireUsage } from '../../test-support/wire-events'
import { foldRecords } from './reduce'
import { nextStep } from './next-step'
import { assistantMessagesOf, FRESH_SHELL_NOTE, hasPendingInput, messageTextOf, pendingInputOf, transcriptOf } from './transcript'

const NOTE = { type: 'message', role: 'developer', content: [{ type: 'input_text', text: FRESH_SHELL_NOTE }] }

describe('the note that the shell restarted', () => {
  const call = new ResponseStream('resp_1').created().functionCall('fc_1', 'call_sh', 'shell', [SAMPLE_ARGS]).completed(wireUsage(10, 5))
  const answered = new ResponseStream('resp_2', { previousResponseId: 'resp_1' }).created().message('msg_2', ['Done.']).completed(wireUsage(10, 5))
  const crashedMidCall = [
    runStarted(),
    { type: 'user.input', kind: 'task', text: SAMPLE_TASK },
    requestSent(1, [userTask(SAMPLE_TASK)]),
    ...serverEvents(call.events),
    { type: 'tool.started', callId: 'call_sh', name: 'shell', arguments: SAMPLE_ARGS },
    { type: 'run.resumed', reason: 'tether run --resume', freshShell: true },
    toolFinished('call_sh', 'interrupted')
  ] as const

  it('follows the outputs of calls that were open, never sitting between a call and its output', () => {
    const state = foldRecords(stamp(crashedMidCall))
    expect(pendingInputOf(state)).toEqual([functionOutput('call_sh', 'interrupted'), NOTE])
    expect(transcriptOf(state).slice(-3)).toEqual([
      { type: 'function_call', call_id: 'call_sh', name: 'shell', arguments: SAMPLE_ARGS },
      functionOutput('call_sh', 'interrupted'),
      NOTE
    ])
  })

  it('comes right before the follow-up, and alone is no reason to send', () => {
    const finished = [
      ...crashedMidCall,
      requestSent(2, [functionOutput('call_sh', 'interrupted'), NOTE as never], 'resp_1'),
      ...serverEvents(answered.events),
      { type: 'run.finished', outcome: 'completed', reason: null }
    ] as const
    const reopened = foldRecords(stamp([...finished, { type: 'run.resumed', reason: 'reopened for a follow-up message', freshShell: true }]))
    expect([pendingInputOf(reopened), hasPendingInput(reopened), nextStep(reopened)]).toEqual([[NOTE], false, { kind: 'done', outcome: 'completed' }])
    const followedUp = foldRecords(stamp([...finished, { type: 'run.resumed', reason: 'a follow-up message', freshShell: true }, { type: 'user.input', kind: 'task', text: 'And now?' }]))
    expect(pendingInputOf(followedUp)).toEqual([NOTE, userTask('And now?')])
    // A full resend says it once: both restarts lie before the one message it precedes.
    expect(transcriptOf(followedUp).slice(-3)).toEqual([expect.objectContaining({ id: 'msg_2' }), NOTE, userTask('And now?')])
  })
})

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

describe('calls that ran while their response still streamed', () => {
  const READ_ARGS = '{"path":"notes.txt","start_line":null,"end_line":null}'
  const LIST_ARGS = '{"path":"."}'
  const stream = new ResponseStream('resp_1').created().functionCall('fc_a', 'call_a', 'read_file', [READ_ARGS]).functionCall('fc_b', 'call_b', 'list_dir', [LIST_ARGS]).completed(wireUsage(10, 5))
  const streamed = stream.events.slice(0, -1)
  const completed = stream.events.slice(-1)
  const ranEarly = [
    runStarted(),
    { type: 'user.input', kind: 'task', text: SAMPLE_TASK },
    requestSent(1, [userTask(SAMPLE_TASK)]),
    ...serverEvents(streamed),
    { type: 'tool.started', callId: 'call_b', name: 'list_dir', arguments: LIST_ARGS },
    toolFinished('call_b', 'listing'),
    { type: 'tool.started', callId: 'call_a', name: 'read_file', arguments: READ_ARGS },
    toolFinished('call_a', 'notes')
  ] as const

  it('join the conversation when the response ends, after its items and in the order it lists its calls', () => {
    expect(pendingInputOf(foldRecords(stamp(ranEarly)))).toEqual([])
    const state = foldRecords(stamp([...ranEarly, ...serverEvents(completed)]))
    expect(pendingInputOf(state)).toEqual([functionOutput('call_a', 'notes'), functionOutput('call_b', 'listing')])
    expect(transcriptOf(state)).toEqual([
      userTask(SAMPLE_TASK),
      { type: 'function_call', call_id: 'call_a', name: 'read_file', arguments: READ_ARGS },
      { type: 'function_call', call_id: 'call_b', name: 'list_dir', arguments: LIST_ARGS },
      functionOutput('call_a', 'notes'),
      functionOutput('call_b', 'listing')
    ])
    expect(nextStep(state)).toEqual({ kind: 'send' })
  })

  it('are asked anew when the request sent again gets the same call ids back', () => {
    const again = new ResponseStream('resp_2').created().functionCall('fc_a', 'call_a', 'read_file', [READ_ARGS]).completed(wireUsage(10, 5))
    const records = [
      ...ranEarly,
      { type: 'transport.changed', state: 'reconnecting', transport: 'ws', attempt: 1, maxAttempts: 5, reason: 'connection closed (1006)' },
      requestSent(1, [userTask(SAMPLE_TASK)]),
      ...serverEvents(again.events)
    ] as const
    const asked = foldRecords(stamp(records))
    expect({ status: asked.toolCalls.call_a?.status, responseIndex: asked.toolCalls.call_a?.responseIndex, next: nextStep(asked) }).toEqual({
      status: 'requested',
      responseIndex: 1,
      next: { kind: 'run_tools', callIds: ['call_a'] }
    })
    const answered = foldRecords(stamp([...records, { type: 'tool.started', callId: 'call_a', name: 'read_file', arguments: READ_ARGS }, toolFinished('call_a', 'notes again')]))
    expect(pendingInputOf(answered)).toEqual([functionOutput('call_a', 'notes again')])
  })

  it('never reach the model when the response is dropped, even a result written after the drop', () => {
    const dropped = foldRecords(
      stamp([
        ...ranEarly.slice(0, -1),
        { type: 'transport.changed', state: 'reconnecting', transport: 'ws', attempt: 1, maxAttempts: 5, reason: 'connection closed (1006)' },
        toolFinished('call_a', 'notes')
      ])
    )
    expect(dropped.responses.map((response) => response.status)).toEqual(['dropped'])
    expect(dropped.toolCalls.call_a?.status).toBe('ok')
    expect({ pending: pendingInputOf(dropped), transcript: transcriptOf(dropped), next: nextStep(dropped) }).toEqual({
      pending: [],
      transcript: [userTask(SAMPLE_TASK)],
      next: { kind: 'send' }
    })
  })

  it('are asked anew after a response that failed, like after one that was dropped', () => {
    const failed = new ResponseStream('resp_1').created().functionCall('fc_a', 'call_a', 'read_file', [READ_ARGS]).failed('server_error', 'The server had an error.')
    const again = new ResponseStream('resp_2').created().functionCall('fc_a', 'call_a', 'read_file', [READ_ARGS]).completed(wireUsage(10, 5))
    const state = foldRecords(
      stamp([
        runStarted(),
        { type: 'user.input', kind: 'task', text: SAMPLE_TASK },
        requestSent(1, [userTask(SAMPLE_TASK)]),
        ...serverEvents(failed.events.slice(0, -1)),
        { type: 'tool.started', callId: 'call_a', name: 'read_file', arguments: READ_ARGS },
        toolFinished('call_a', 'notes'),
        ...serverEvents(failed.events.slice(-1)),
        requestSent(1, [userTask(SAMPLE_TASK)]),
        ...serverEvents(again.events)
      ])
    )
    expect({ statuses: state.responses.map((response) => response.status), next: nextStep(state) }).toEqual({
      statuses: ['failed', 'completed'],
      next: { kind: 'run_tools', callIds: ['call_a'] }
    })
  })

  it('join once when an error event marks the response failed before its response.completed', () => {
    const stream = new ResponseStream('resp_1').created().functionCall('fc_a', 'call_a', 'read_file', [READ_ARGS])
    const before = stream.events.length
    stream.streamingError('server_error', 'A hiccup.').completed(wireUsage(10, 5))
    const state = foldRecords(
      stamp([
        runStarted(),
        { type: 'user.input', kind: 'task', text: SAMPLE_TASK },
        requestSent(1, [userTask(SAMPLE_TASK)]),
        ...serverEvents(stream.events.slice(0, before)),
        { type: 'tool.started', callId: 'call_a', name: 'read_file', arguments: READ_ARGS },
        ...serverEvents(stream.events.slice(before, before + 1)),
        toolFinished('call_a', 'notes'),
        ...serverEvents(stream.events.slice(before + 1))
      ])
    )
    expect({ results: state.timeline.filter((entry) => entry.kind === 'tool_result'), pending: pendingInputOf(state) }).toEqual({
      results: [{ kind: 'tool_result', callId: 'call_a' }],
      pending: [functionOutput('call_a', 'notes')]
    })
  })

  it("never reach the model when the response's final output replaced the call that ran", () => {
    const streamed = new ResponseStream('resp_1').created().functionCall('fc_a', 'call_a', 'read_file', [READ_ARGS])
    const replacement = new ResponseStream('resp_1').functionCall('fc_b', 'call_b', 'list_dir', [LIST_ARGS])
    const completedEvent = { type: 'response.completed', sequence_number: 99, response: streamed.response('completed', { usage: wireUsage(10, 5), output: replacement.output }) } as const
    const state = foldRecords(
      stamp([
        runStarted(),
        { type: 'user.input', kind: 'task', text: SAMPLE_TASK },
        requestSent(1, [userTask(SAMPLE_TASK)]),
        ...serverEvents(streamed.events),
        { type: 'tool.started', callId: 'call_a', name: 'read_file', arguments: READ_ARGS },
        ...serverEvents([completedEvent]),
        toolFinished('call_a', 'notes')
      ])
    )
    const carried = transcriptOf(state).flatMap((item) => ('call_id' in item ? [`${item.type} ${item.call_id}`] : []))
    expect({ carried, next: nextStep(state) }).toEqual({ carried: ['function_call call_b'], next: { kind: 'run_tools', callIds: ['call_b'] } })
  })
})
