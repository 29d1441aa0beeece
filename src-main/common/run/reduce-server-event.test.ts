// Table tests of the fold over realistic Responses streams: whole RunState equality, every field.
import { describe, expect, it } from 'vitest'
import type { ServerEvent } from '../protocol/wire'
import { requestSent, runStarted, serverEvents, stamp, T0, toolFinished, tsOf, userTask, functionOutput } from '../../test-support/run-records'
import { requestError, ResponseStream, wireUsage } from '../../test-support/wire-events'
import type { RunRecordBody } from './records'
import { foldRecords } from './reduce'
import type { RunState, ToolCallView } from './state'
import { initialRunState } from './state'

const TASK = "What's the weather in Paris?"

function fold(bodies: RunRecordBody[]): RunState {
  return foldRecords(stamp(bodies))
}

/** The state right after `run.started`, with the given fields replaced. */
function running(overrides: Partial<RunState>): RunState {
  const started = runStarted()
  return {
    ...initialRunState,
    runId: started.runId,
    workspace: started.workspace,
    provider: started.provider,
    model: started.model,
    settings: started.settings,
    tools: started.tools,
    status: 'running',
    startedAt: T0,
    ...overrides
  }
}

/** The opening of every turn-1 test: run started, the task, the request (seq 0..2). */
const opening: RunRecordBody[] = [runStarted(), { type: 'user.input', kind: 'task', text: TASK }, requestSent(1, [userTask(TASK)])]

const turnOne = {
  turn: 1,
  transport: 'ws' as const,
  mode: 'full' as const,
  previousResponseId: null,
  bytes: 512,
  sentAt: tsOf(2),
  inputCount: 1,
  responseIndexes: [0],
  failure: null,
  firstEventMs: null,
  durationMs: null
}

function requestedCall(overrides: Partial<ToolCallView> & Pick<ToolCallView, 'callId' | 'name' | 'arguments'>): ToolCallView {
  return {
    itemKey: null,
    responseIndex: 0,
    status: 'requested',
    exitCode: null,
    output: null,
    terminal: '',
    terminalDroppedBytes: 0,
    durationMs: null,
    artifactPath: null,
    startedAt: null,
    finishedAt: null,
    outputSent: false,
    metrics: null,
    rewindable: false,
    changes: null,
    ...overrides
  }
}

describe('reduce over Responses server events', () => {
  it('folds a text turn', () => {
    const usage = wireUsage(160, 14, 128)
    const stream = new ResponseStream('resp_1').created().inProgress().message('msg_1', ["It's 18 °C", ' and cloudy in Paris.']).completed(usage)
    expect(stream.events).toHaveLength(10)
    const state = fold([...opening, ...serverEvents(stream.events)])
    expect(state).toEqual(
      running({
        lastSeq: 12,
        lastTs: tsOf(12),
        turns: [turnOne],
        responses: [
          { id: 'resp_1', turn: 1, status: 'completed', previousResponseId: null, itemKeys: ['0:msg_1'], usage, error: null, incompleteReason: null, ended: true }
        ],
        responseIndexById: { resp_1: 0 },
        items: {
          '0:msg_1': {
            key: '0:msg_1',
            id: 'msg_1',
            responseIndex: 0,
            outputIndex: 0,
            status: 'completed',
            kind: 'message',
            parts: [{ type: 'output_text', text: "It's 18 °C and cloudy in Paris." }],
            phase: null
          }
        },
        userInputs: [{ kind: 'task', text: TASK, at: tsOf(1), delivered: false }],
        sentThrough: 1,
        timeline: [
          { kind: 'user', index: 0 },
          { kind: 'item', key: '0:msg_1' }
        ],
        usage,
        cursor: { responseIndex: 0, lastSequence: 9, turn: 1 }
      })
    )
  })

  it('shows a message growing delta by delta before the terminal event', () => {
    const stream = new ResponseStream('resp_1').created().message('msg_1', ['Hel', 'lo'])
    // created, item added, part added, first delta: seq 3..6
    const state = fold([...opening, ...serverEvents(stream.events.slice(0, 4))])
    expect(state.items['0:msg_1']).toEqual({
      key: '0:msg_1',
      id: 'msg_1',
      responseIndex: 0,
      outputIndex: 0,
      status: 'in_progress',
      kind: 'message',
      parts: [{ type: 'output_text', text: 'Hel' }],
      phase: null
    })
    expect(state.responses).toEqual([
      { id: 'resp_1', turn: 1, status: 'in_progress', previousResponseId: null, itemKeys: ['0:msg_1'], usage: null, error: null, incompleteReason: null, ended: false }
    ])
  })

  it('folds parallel function calls, their tool records and the continuation', () => {
    const firstUsage = wireUsage(92, 41, 0, 24)
    const first = new ResponseStream('resp_1')
      .created()
      .inProgress()
      .reasoning('rs_1', [], 'gAAAA-encrypted')
      .functionCall('fc_1', 'call_paris', 'get_weather', ['{"city":', '"Paris"}'])
      .functionCall('fc_2', 'call_tokyo', 'get_weather', ['{"city":"Tokyo"}'])
      .completed(firstUsage)
    const secondUsage = wireUsage(180, 20, 128)
    const second = new ResponseStream('resp_2', { previousResponseId: 'resp_1' })
      .created()
      .inProgress()
      .message('msg_1', ['Paris 18 °C, Tokyo 24 °C.'])
      .completed(secondUsage)
    const bodies: RunRecordBody[] = [
      ...opening,
      ...serverEvents(first.events), // seq 3..16
      { type: 'tool.started', callId: 'call_paris', name: 'get_weather', arguments: '{"city":"Paris"}' }, // 17
      { type: 'tool.started', callId: 'call_tokyo', name: 'get_weather', arguments: '{"city":"Tokyo"}' }, // 18
      { type: 'tool.output', callId: 'call_tokyo', data: 'fetching tokyo\r\n' }, // 19
      toolFinished('call_tokyo', '{"temp_c":24}', { durationMs: 30 }), // 20
      toolFinished('call_paris', '{"temp_c":18}', { durationMs: 45 }), // 21
      requestSent(2, [functionOutput('call_paris', '{"temp_c":18}'), functionOutput('call_tokyo', '{"temp_c":24}')], 'resp_1', 300), // 22
      ...serverEvents(second.events) // 23..31
    ]
    expect(first.events).toHaveLength(14)
    expect(second.events).toHaveLength(9)
    const state = fold(bodies)
    expect(state).toEqual(
      running({
        lastSeq: 31,
        lastTs: tsOf(31),
        turns: [
          turnOne,
          {
            turn: 2,
            transport: 'ws',
            mode: 'incremental',
            previousResponseId: 'resp_1',
            bytes: 300,
            sentAt: tsOf(22),
            inputCount: 2,
            responseIndexes: [1],
            failure: null,
            firstEventMs: null,
            durationMs: null
          }
        ],
        responses: [
          {
            id: 'resp_1',
            turn: 1,
            status: 'completed',
            previousResponseId: null,
            itemKeys: ['0:rs_1', '0:fc_1', '0:fc_2'],
            usage: firstUsage,
            error: null,
            incompleteReason: null,
          ended: true
          },
          {
            id: 'resp_2',
            turn: 2,
            status: 'completed',
            previousResponseId: 'resp_1',
            itemKeys: ['1:msg_1'],
            usage: secondUsage,
            error: null,
            incompleteReason: null,
          ended: true
          }
        ],
        responseIndexById: { resp_1: 0, resp_2: 1 },
        items: {
          '0:rs_1': {
            key: '0:rs_1',
            id: 'rs_1',
            responseIndex: 0,
            outputIndex: 0,
            status: 'completed',
            kind: 'reasoning',
            summary: [],
            content: [],
            encryptedContent: 'gAAAA-encrypted'
          },
          '0:fc_1': {
            key: '0:fc_1',
            id: 'fc_1',
            responseIndex: 0,
            outputIndex: 1,
            status: 'completed',
            kind: 'function_call',
            callId: 'call_paris',
            name: 'get_weather',
            arguments: '{"city":"Paris"}'
          },
          '0:fc_2': {
            key: '0:fc_2',
            id: 'fc_2',
            responseIndex: 0,
            outputIndex: 2,
            status: 'completed',
            kind: 'function_call',
            callId: 'call_tokyo',
            name: 'get_weather',
            arguments: '{"city":"Tokyo"}'
          },
          '1:msg_1': {
            key: '1:msg_1',
            id: 'msg_1',
            responseIndex: 1,
            outputIndex: 0,
            status: 'completed',
            kind: 'message',
            parts: [{ type: 'output_text', text: 'Paris 18 °C, Tokyo 24 °C.' }],
            phase: null
          }
        },
        toolCalls: {
          call_paris: requestedCall({
            callId: 'call_paris',
            name: 'get_weather',
            arguments: '{"city":"Paris"}',
            itemKey: '0:fc_1',
            status: 'ok',
            exitCode: 0,
            output: '{"temp_c":18}',
            durationMs: 45,
            startedAt: tsOf(17),
            finishedAt: tsOf(21),
            outputSent: true
          }),
          call_tokyo: requestedCall({
            callId: 'call_tokyo',
            name: 'get_weather',
            arguments: '{"city":"Tokyo"}',
            itemKey: '0:fc_2',
            status: 'ok',
            exitCode: 0,
            output: '{"temp_c":24}',
            terminal: 'fetching tokyo\r\n',
            durationMs: 30,
            startedAt: tsOf(18),
            finishedAt: tsOf(20),
            outputSent: true
          })
        },
        toolCallOrder: ['call_paris', 'call_tokyo'],
        userInputs: [{ kind: 'task', text: TASK, at: tsOf(1), delivered: false }],
        sentThrough: 6,
        timeline: [
          { kind: 'user', index: 0 },
          { kind: 'item', key: '0:rs_1' },
          { kind: 'item', key: '0:fc_1' },
          { kind: 'item', key: '0:fc_2' },
          { kind: 'tool_result', callId: 'call_tokyo' },
          { kind: 'tool_result', callId: 'call_paris' },
          { kind: 'item', key: '1:msg_1' }
        ],
        usage: {
          input_tokens: 272,
          input_tokens_details: { cached_tokens: 128, cache_write_tokens: 0 },
          output_tokens: 61,
          output_tokens_details: { reasoning_tokens: 24 },
          total_tokens: 333
        },
        cursor: { responseIndex: 1, lastSequence: 8, turn: 2 }
      })
    )
  })

  it('shows function-call arguments as they stream, and the call as requested from the first event', () => {
    const stream = new ResponseStream('resp_1').created().functionCall('fc_1', 'call_paris', 'get_weather', ['{"city":', '"Paris"}'])
    // created, item added, first delta: seq 3..5
    const state = fold([...opening, ...serverEvents(stream.events.slice(0, 3))])
    expect(state.items['0:fc_1']).toEqual({
      key: '0:fc_1',
      id: 'fc_1',
      responseIndex: 0,
      outputIndex: 0,
      status: 'in_progress',
      kind: 'function_call',
      callId: 'call_paris',
      name: 'get_weather',
      arguments: '{"city":'
    })
    expect(state.toolCalls).toEqual({
      call_paris: requestedCall({ callId: 'call_paris', name: 'get_weather', arguments: '{"city":', itemKey: '0:fc_1' })
    })
  })

  it('folds a reasoning summary with several parts', () => {
    const usage = wireUsage(50, 120, 0, 90)
    const stream = new ResponseStream('resp_1')
      .created()
      .reasoning('rs_1', [['**Checking', ' the forecast**'], ['Paris is ', 'cloudy today.']], 'gAAAA-rs')
      .message('msg_1', ['Cloudy, 18 °C.'])
      .completed(usage)
    const state = fold([...opening, ...serverEvents(stream.events)])
    expect(state.items).toEqual({
      '0:rs_1': {
        key: '0:rs_1',
        id: 'rs_1',
        responseIndex: 0,
        outputIndex: 0,
        status: 'completed',
        kind: 'reasoning',
        summary: ['**Checking the forecast**', 'Paris is cloudy today.'],
        content: [],
        encryptedContent: 'gAAAA-rs'
      },
      '0:msg_1': {
        key: '0:msg_1',
        id: 'msg_1',
        responseIndex: 0,
        outputIndex: 1,
        status: 'completed',
        kind: 'message',
        parts: [{ type: 'output_text', text: 'Cloudy, 18 °C.' }],
        phase: null
      }
    })
    expect(state.timeline).toEqual([
      { kind: 'user', index: 0 },
      { kind: 'item', key: '0:rs_1' },
      { kind: 'item', key: '0:msg_1' }
    ])
    expect(state.responses[0]?.itemKeys).toEqual(['0:rs_1', '0:msg_1'])
  })

  it('shows a reasoning summary part while it streams', () => {
    const stream = new ResponseStream('resp_1').created().reasoning('rs_1', [['**Checking', ' the forecast**']])
    // created, item added, summary part added, first delta
    const state = fold([...opening, ...serverEvents(stream.events.slice(0, 4))])
    expect(state.items['0:rs_1']).toEqual({
      key: '0:rs_1',
      id: 'rs_1',
      responseIndex: 0,
      outputIndex: 0,
      status: 'in_progress',
      kind: 'reasoning',
      summary: ['**Checking'],
      content: [],
      encryptedContent: null
    })
  })

  it('folds a refusal', () => {
    const usage = wireUsage(40, 9)
    const stream = new ResponseStream('resp_1').created().refusal('msg_1', ["I can't help", ' with that.']).completed(usage)
    const state = fold([...opening, ...serverEvents(stream.events)])
    expect(state.items).toEqual({
      '0:msg_1': {
        key: '0:msg_1',
        id: 'msg_1',
        responseIndex: 0,
        outputIndex: 0,
        status: 'completed',
        kind: 'message',
        parts: [{ type: 'refusal', text: "I can't help with that." }],
        phase: null
      }
    })
    expect(state.responses.map((response) => response.status)).toEqual(['completed'])
  })

  it('folds an incomplete response with its reason', () => {
    const usage = wireUsage(60, 16)
    const stream = new ResponseStream('resp_1').created().inProgress()
    stream.message('msg_1', ['The forecast for the next'])
    stream.output[0] = { ...stream.output[0], status: 'incomplete' } as (typeof stream.output)[number]
    stream.incomplete('max_output_tokens', usage)
    const state = fold([...opening, ...serverEvents(stream.events)])
    expect(state).toEqual(
      running({
        lastSeq: 11,
        lastTs: tsOf(11),
        turns: [turnOne],
        responses: [
          {
            id: 'resp_1',
            turn: 1,
            status: 'incomplete',
            previousResponseId: null,
            itemKeys: ['0:msg_1'],
            usage,
            error: null,
            incompleteReason: 'max_output_tokens',
          ended: true
          }
        ],
        responseIndexById: { resp_1: 0 },
        items: {
          '0:msg_1': {
            key: '0:msg_1',
            id: 'msg_1',
            responseIndex: 0,
            outputIndex: 0,
            // The terminal `output` is authoritative: the item stopped short.
            status: 'incomplete',
            kind: 'message',
            parts: [{ type: 'output_text', text: 'The forecast for the next' }],
            phase: null
          }
        },
        userInputs: [{ kind: 'task', text: TASK, at: tsOf(1), delivered: false }],
        sentThrough: 1,
        timeline: [
          { kind: 'user', index: 0 },
          { kind: 'item', key: '0:msg_1' }
        ],
        usage,
        cursor: { responseIndex: 0, lastSequence: 8, turn: 1 }
      })
    )
  })

  it('folds a failed response and records its error', () => {
    const usage = wireUsage(60, 0)
    const stream = new ResponseStream('resp_1').created().inProgress().failed('server_error', 'The server had an error.', usage)
    const state = fold([...opening, ...serverEvents(stream.events)])
    expect(state).toEqual(
      running({
        lastSeq: 5,
        lastTs: tsOf(5),
        turns: [turnOne],
        responses: [
          {
            id: 'resp_1',
            turn: 1,
            status: 'failed',
            previousResponseId: null,
            itemKeys: [],
            usage,
            error: { code: 'server_error', message: 'The server had an error.' },
            incompleteReason: null,
          ended: true
          }
        ],
        responseIndexById: { resp_1: 0 },
        userInputs: [{ kind: 'task', text: TASK, at: tsOf(1), delivered: false }],
        sentThrough: 1,
        timeline: [{ kind: 'user', index: 0 }],
        errors: [{ source: 'response', code: 'server_error', message: 'The server had an error.', responseIndex: 0, at: tsOf(5) }],
        usage,
        cursor: { responseIndex: 0, lastSequence: 2, turn: 1 }
      })
    )
  })

  it('fails the open response on a flat error mid-stream and keeps its partial output', () => {
    const stream = new ResponseStream('resp_1').created().inProgress()
    const message = new ResponseStream('resp_1').message('msg_1', ['Paris is', ' cloud'])
    // The message's first four events (added, part added, two deltas), then the failure.
    message.events.slice(0, 4).forEach((event) => stream.push(event))
    stream.streamingError('server_error', 'The model produced invalid output.')
    const state = fold([...opening, ...serverEvents(stream.events)])
    expect(state).toEqual(
      running({
        lastSeq: 9,
        lastTs: tsOf(9),
        turns: [turnOne],
        responses: [
          {
            id: 'resp_1',
            turn: 1,
            status: 'failed',
            previousResponseId: null,
            itemKeys: ['0:msg_1'],
            usage: null,
            error: { code: 'server_error', message: 'The model produced invalid output.' },
            incompleteReason: null,
          ended: false
          }
        ],
        responseIndexById: { resp_1: 0 },
        items: {
          '0:msg_1': {
            key: '0:msg_1',
            id: 'msg_1',
            responseIndex: 0,
            outputIndex: 0,
            status: 'in_progress',
            kind: 'message',
            parts: [{ type: 'output_text', text: 'Paris is cloud' }],
            phase: null
          }
        },
        userInputs: [{ kind: 'task', text: TASK, at: tsOf(1), delivered: false }],
        sentThrough: 1,
        timeline: [
          { kind: 'user', index: 0 },
          { kind: 'item', key: '0:msg_1' }
        ],
        errors: [{ source: 'server', code: 'server_error', message: 'The model produced invalid output.', responseIndex: 0, at: tsOf(9) }],
        cursor: { responseIndex: 0, lastSequence: 6, turn: 1 }
      })
    )
  })

  it('fails the turn on a nested error before any response, and a resend of the turn starts it afresh', () => {
    const refused = requestError(400, 'previous_response_not_found', "Previous response with id 'resp_0' not found.", 'previous_response_id')
    const usage = wireUsage(20, 5)
    const retry = new ResponseStream('resp_1').created().message('msg_1', ['Hi.']).completed(usage)
    const failedOnly = fold([...opening, { type: 'server.event', event: refused }])
    expect(failedOnly).toEqual(
      running({
        lastSeq: 3,
        lastTs: tsOf(3),
        turns: [{ ...turnOne, responseIndexes: [], failure: { code: 'previous_response_not_found', message: "Previous response with id 'resp_0' not found." } }],
        userInputs: [{ kind: 'task', text: TASK, at: tsOf(1), delivered: false }],
        sentThrough: 1,
        timeline: [{ kind: 'user', index: 0 }],
        errors: [
          { source: 'server', code: 'previous_response_not_found', message: "Previous response with id 'resp_0' not found.", responseIndex: null, at: tsOf(3) }
        ],
        cursor: { responseIndex: null, lastSequence: null, turn: 1 }
      })
    )
    const retried = fold([...opening, { type: 'server.event', event: refused }, requestSent(1, [userTask(TASK)], null, 600), ...serverEvents(retry.events)])
    expect(retried.turns).toEqual([{ ...turnOne, bytes: 600, sentAt: tsOf(4) }])
    expect(retried.responses).toEqual([
      { id: 'resp_1', turn: 1, status: 'completed', previousResponseId: null, itemKeys: ['0:msg_1'], usage, error: null, incompleteReason: null, ended: true }
    ])
    expect(retried.errors).toEqual(failedOnly.errors)
  })

  it('records a rate-limit error that carries no sequence number', () => {
    const limited: ServerEvent = { type: 'error', status: 429, error: { type: 'rate_limit_error', code: 'rate_limit_exceeded', message: 'Slow down.', param: null } }
    const state = fold([...opening, { type: 'server.event', event: limited }])
    expect(state.errors).toEqual([{ source: 'server', code: 'rate_limit_exceeded', message: 'Slow down.', responseIndex: null, at: tsOf(3) }])
    expect(state.turns[0]?.failure).toEqual({ code: 'rate_limit_exceeded', message: 'Slow down.' })
  })

  it('records a failed steer without touching the response', () => {
    const stream = new ResponseStream('resp_1').created()
    const steerFailed: ServerEvent = {
      type: 'response.steer.failed',
      sequence_number: 1,
      error: { type: 'invalid_request_error', code: 'response_already_completed', message: 'The response already completed.' },
      steer: { previous_response_id: 'resp_1', input: 'also Tokyo' }
    } as ServerEvent
    const state = fold([...opening, ...serverEvents(stream.events), { type: 'server.event', event: steerFailed }])
    expect(state.errors).toEqual([
      { source: 'steer', code: 'response_already_completed', message: 'The response already completed.', responseIndex: null, at: tsOf(4) }
    ])
    expect(state.responses.map((response) => response.status)).toEqual(['in_progress'])
    expect(state.cursor).toEqual({ responseIndex: 0, lastSequence: 0, turn: 1 })
  })

  it('tolerates a sparse stream: no added or part events, a terminal event without output', () => {
    const usage = wireUsage(70, 30)
    const stream = new ResponseStream('resp_1', { sparse: true })
      .created()
      .reasoning('rs_1', [['Looking up', ' Paris.']])
      .functionCall('fc_1', 'call_paris', 'get_weather', ['{"city":', '"Paris"}'])
      .message('msg_1', ['Checking', ' now.'])
      .completed(usage)
    expect(stream.events.map((event) => event.type)).toEqual([
      'response.created',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.output_item.done',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.output_item.done',
      'response.completed'
    ])
    const state = fold([...opening, ...serverEvents(stream.events)])
    expect(state).toEqual(
      running({
        lastSeq: 16,
        lastTs: tsOf(16),
        turns: [turnOne],
        responses: [
          {
            id: 'resp_1',
            turn: 1,
            status: 'completed',
            previousResponseId: null,
            itemKeys: ['0:rs_1', '0:fc_1', '0:msg_1'],
            usage,
            error: null,
            incompleteReason: null,
          ended: true
          }
        ],
        responseIndexById: { resp_1: 0 },
        items: {
          '0:rs_1': {
            key: '0:rs_1',
            id: 'rs_1',
            responseIndex: 0,
            outputIndex: 0,
            status: 'completed',
            kind: 'reasoning',
            summary: ['Looking up Paris.'],
            content: [],
            encryptedContent: null
          },
          '0:fc_1': {
            key: '0:fc_1',
            id: 'fc_1',
            responseIndex: 0,
            outputIndex: 1,
            status: 'completed',
            kind: 'function_call',
            callId: 'call_paris',
            name: 'get_weather',
            arguments: '{"city":"Paris"}'
          },
          '0:msg_1': {
            key: '0:msg_1',
            id: 'msg_1',
            responseIndex: 0,
            outputIndex: 2,
            status: 'completed',
            kind: 'message',
            parts: [{ type: 'output_text', text: 'Checking now.' }],
            phase: null
          }
        },
        toolCalls: {
          call_paris: requestedCall({ callId: 'call_paris', name: 'get_weather', arguments: '{"city":"Paris"}', itemKey: '0:fc_1' })
        },
        toolCallOrder: ['call_paris'],
        userInputs: [{ kind: 'task', text: TASK, at: tsOf(1), delivered: false }],
        sentThrough: 1,
        timeline: [
          { kind: 'user', index: 0 },
          { kind: 'item', key: '0:rs_1' },
          { kind: 'item', key: '0:fc_1' },
          { kind: 'item', key: '0:msg_1' }
        ],
        usage,
        cursor: { responseIndex: 0, lastSequence: 13, turn: 1 }
      })
    )
  })

  it('tolerates deltas before any lifecycle event and names the response when its id arrives', () => {
    const usage = wireUsage(30, 4)
    const deltas: ServerEvent[] = [
      { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Sun', logprobs: [], sequence_number: 0 },
      { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'ny.', logprobs: [], sequence_number: 1 }
    ]
    const terminal = new ResponseStream('resp_1', { sparse: true })
    terminal.pushWithSequence({ type: 'response.completed', response: terminal.response('completed', { usage }), sequence_number: 0 }, 2)
    const state = fold([...opening, ...serverEvents(deltas), ...serverEvents(terminal.events)])
    expect(state.responses).toEqual([
      { id: 'resp_1', turn: 1, status: 'completed', previousResponseId: null, itemKeys: ['0:msg_1'], usage, error: null, incompleteReason: null, ended: true }
    ])
    expect(state.responseIndexById).toEqual({ resp_1: 0 })
    expect(state.items).toEqual({
      '0:msg_1': {
        key: '0:msg_1',
        id: 'msg_1',
        responseIndex: 0,
        outputIndex: 0,
        status: 'in_progress',
        kind: 'message',
        parts: [{ type: 'output_text', text: 'Sunny.' }],
        phase: null
      }
    })
    expect(state.turns).toEqual([turnOne])
    expect(state.cursor).toEqual({ responseIndex: 0, lastSequence: 2, turn: 1 })
  })

  it('ignores duplicate events by sequence number and counts them', () => {
    const usage = wireUsage(160, 14)
    const clean = new ResponseStream('resp_1').created().message('msg_1', ['Cloudy', ' today.']).completed(usage)
    const duplicated: ServerEvent[] = []
    clean.events.forEach((event, index) => {
      duplicated.push(event)
      if (index === 3 || index === 4) duplicated.push(event) // both text deltas arrive twice
    })
    // A late copy of the terminal event and of a delta after the response ended.
    duplicated.push(clean.events[clean.events.length - 1]!, clean.events[3]!)
    const withDuplicates = fold([...opening, ...serverEvents(duplicated)])
    const withoutDuplicates = fold([...opening, ...serverEvents(clean.events)])
    expect(withDuplicates).toEqual({ ...withoutDuplicates, lastSeq: withDuplicates.lastSeq, lastTs: withDuplicates.lastTs, duplicates: 4 })
    expect(withDuplicates.items['0:msg_1']).toEqual({
      key: '0:msg_1',
      id: 'msg_1',
      responseIndex: 0,
      outputIndex: 0,
      status: 'completed',
      kind: 'message',
      parts: [{ type: 'output_text', text: 'Cloudy today.' }],
      phase: null
    })
    expect(withDuplicates.usage).toEqual(usage)
  })

  it('keeps the id a late lifecycle event gives a sparse response, though its sequence number is old', () => {
    const delta = (sequence_number: number, text: string): ServerEvent => ({
      type: 'response.output_text.delta',
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      delta: text,
      logprobs: [],
      sequence_number
    })
    const late = new ResponseStream('resp_1').created().events[0]!
    const state = fold([...opening, ...serverEvents([delta(0, 'Sun'), delta(1, 'ny.'), late])])
    expect(state.responses).toEqual([
      { id: 'resp_1', turn: 1, status: 'in_progress', previousResponseId: null, itemKeys: ['0:msg_1'], usage: null, error: null, incompleteReason: null, ended: false }
    ])
    expect(state.responseIndexById).toEqual({ resp_1: 0 })
    expect(state.duplicates).toBe(1)
    expect(state.cursor).toEqual({ responseIndex: 0, lastSequence: 1, turn: 1 })
  })

  it('records sequence gaps and still applies the events after them', () => {
    const stream = new ResponseStream('resp_1').created()
    const address = { item_id: 'msg_1', output_index: 0, content_index: 0, logprobs: [] }
    stream.pushWithSequence({ type: 'response.output_text.delta', ...address, delta: 'Rain', sequence_number: 0 }, 1)
    stream.pushWithSequence({ type: 'response.output_text.delta', ...address, delta: ' later.', sequence_number: 0 }, 4)
    stream.pushWithSequence({ type: 'response.output_text.delta', ...address, delta: ' Maybe.', sequence_number: 0 }, 9)
    const state = fold([...opening, ...serverEvents(stream.events)])
    expect(state.gaps).toEqual([
      { responseIndex: 0, expected: 2, received: 4 },
      { responseIndex: 0, expected: 5, received: 9 }
    ])
    expect(state.items['0:msg_1']).toEqual({
      key: '0:msg_1',
      id: 'msg_1',
      responseIndex: 0,
      outputIndex: 0,
      status: 'in_progress',
      kind: 'message',
      parts: [{ type: 'output_text', text: 'Rain later. Maybe.' }],
      phase: null
    })
    expect(state.cursor).toEqual({ responseIndex: 0, lastSequence: 9, turn: 1 })
    expect(state.duplicates).toBe(0)
  })

  it('ignores unknown event types, inside a response and after it ended', () => {
    const usage = wireUsage(160, 14)
    const stream = new ResponseStream('resp_1').created().message('msg_1', ['Cloudy.'])
    const unknown = [
      { type: 'response.metadata', metadata: { region: 'eu' }, sequence_number: stream.nextSequence },
      { type: 'keepalive', sequence_number: stream.nextSequence + 1 },
      { type: 'codex.rate_limits', primary: { used_percent: 12 } }
    ] as unknown as ServerEvent[]
    stream.pushWithSequence(unknown[0]!, stream.nextSequence)
    stream.pushWithSequence(unknown[1]!, stream.nextSequence)
    stream.completed(usage)
    const after = [
      { type: 'response.metadata', metadata: { region: 'eu' }, sequence_number: stream.nextSequence },
      { type: 'codex.rate_limits', primary: { used_percent: 13 } }
    ] as unknown as ServerEvent[]
    const known = new ResponseStream('resp_1').created().message('msg_1', ['Cloudy.']).completed(usage)
    const withUnknown = fold([...opening, ...serverEvents([...stream.events, unknown[2]!, ...after])])
    const withoutUnknown = fold([...opening, ...serverEvents(known.events)])
    // Same state; the unknown events inside the response used up sequence numbers 7 and 8.
    expect(withUnknown).toEqual({
      ...withoutUnknown,
      lastSeq: withUnknown.lastSeq,
      lastTs: withUnknown.lastTs,
      cursor: { ...withoutUnknown.cursor, lastSequence: 9 }
    })
    expect(withUnknown.responses).toHaveLength(1)
  })
})
