// Table tests of the fold over Tether's own records: tools, approvals, transport, person input,
// metrics, resume and finish. Whole-state equality wherever a sequence is folded.
import { describe, expect, it } from 'vitest'
import { functionOutput, requestSent, runStarted, serverEvents, stamp, T0, toolFinished, tsOf, userTask } from '../../test-support/run-records'
import { ResponseStream, wireUsage } from '../../test-support/wire-events'
import type { ServerEvent } from '../protocol/wire'
import type { RunRecordBody } from './records'
import { foldRecords, reduce } from './reduce'
import type { ResponseView, RunState, ToolCallView } from './state'
import { initialRunState, TERMINAL_TAIL_BYTES } from './state'

const TASK = 'Run the tests'
const ARGS = '{"command":"npm test"}'

function fold(bodies: RunRecordBody[]): RunState {
  return foldRecords(stamp(bodies))
}

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

const usage = wireUsage(300, 25)
/** The model asks to run `npm test`: created, item added, one delta, arguments done, item done, completed. */
const shellCall = new ResponseStream('resp_1').created().functionCall('fc_1', 'call_sh', 'shell', [ARGS]).completed(usage)

/** seq 0..8: the run starts, the person asks, the model requests one shell call. */
const requested: RunRecordBody[] = [
  runStarted(),
  { type: 'user.input', kind: 'task', text: TASK },
  requestSent(1, [userTask(TASK)]),
  ...serverEvents(shellCall.events)
]

const completedResponse: ResponseView = {
  id: 'resp_1',
  turn: 1,
  status: 'completed',
  previousResponseId: null,
  itemKeys: ['0:fc_1'],
  usage,
  error: null,
  incompleteReason: null,
ended: true
}

const shellItem = {
  key: '0:fc_1',
  id: 'fc_1',
  responseIndex: 0,
  outputIndex: 0,
  status: 'completed' as const,
  kind: 'function_call' as const,
  callId: 'call_sh',
  name: 'shell',
  arguments: ARGS
}

function call(overrides: Partial<ToolCallView>): ToolCallView {
  return {
    callId: 'call_sh',
    name: 'shell',
    arguments: ARGS,
    itemKey: '0:fc_1',
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

const approvalRequest: RunRecordBody = {
  type: 'approval.requested',
  callId: 'call_sh',
  tool: 'shell',
  subject: 'npm test',
  risk: 'ask',
  reasons: ['runs package scripts'],
  subcommands: ['npm test'],
  sandboxed: true,
  suggestedRule: ['npm', 'test']
}

const approvalView = {
  callId: 'call_sh',
  tool: 'shell',
  subject: 'npm test',
  risk: 'ask' as const,
  reasons: ['runs package scripts'],
  subcommands: ['npm test'],
  sandboxed: true,
  suggestedRule: ['npm', 'test'],
  requestedAt: tsOf(9)
}

describe('reduce over Tether records', () => {
  it('folds an approved tool call from request to the next turn, with its metrics', () => {
    const state = fold([
      ...requested,
      approvalRequest, // 9
      { type: 'approval.decided', callId: 'call_sh', decision: 'allow', scope: 'once', message: null, rule: null, by: 'person' }, // 10
      { type: 'tool.started', callId: 'call_sh', name: 'shell', arguments: ARGS }, // 11
      { type: 'tool.output', callId: 'call_sh', data: '> weather-app@1.0.0 test\r\n' }, // 12
      { type: 'tool.output', callId: 'call_sh', data: 'ok 12 tests\r\n' }, // 13
      toolFinished('call_sh', 'ok 12 tests', { durationMs: 1800, artifactPath: 'runs/run_x.artifacts/call_sh.txt' }), // 14
      {
        type: 'metrics.tool',
        callId: 'call_sh',
        startedAfterMs: 950,
        finishedAfterMs: 2760,
        outputSentAfterMs: 2765,
        approvalWaitMs: 900,
        hostWaitMs: 12,
        runMs: 1800
      }, // 15
      { type: 'metrics.turn', turn: 1, transport: 'ws', mode: 'full', bytesSent: 512, firstEventMs: 180, durationMs: 950 }, // 16
      requestSent(2, [functionOutput('call_sh', 'ok 12 tests')], 'resp_1', 240) // 17
    ])
    expect(state).toEqual(
      running({
        lastSeq: 17,
        lastTs: tsOf(17),
        turns: [
          {
            turn: 1,
            transport: 'ws',
            mode: 'full',
            previousResponseId: null,
            bytes: 512,
            sentAt: tsOf(2),
            inputCount: 1,
            responseIndexes: [0],
            failure: null,
            firstEventMs: 180,
            durationMs: 950
          },
          {
            turn: 2,
            transport: 'ws',
            mode: 'incremental',
            previousResponseId: 'resp_1',
            bytes: 240,
            sentAt: tsOf(17),
            inputCount: 1,
            responseIndexes: [],
            failure: null,
            firstEventMs: null,
            durationMs: null
          }
        ],
        responses: [completedResponse],
        responseIndexById: { resp_1: 0 },
        items: { '0:fc_1': shellItem },
        toolCalls: {
          call_sh: call({
            status: 'ok',
            exitCode: 0,
            output: 'ok 12 tests',
            terminal: '> weather-app@1.0.0 test\r\nok 12 tests\r\n',
            durationMs: 1800,
            artifactPath: 'runs/run_x.artifacts/call_sh.txt',
            startedAt: tsOf(11),
            finishedAt: tsOf(14),
            outputSent: true,
            metrics: { startedAfterMs: 950, finishedAfterMs: 2760, outputSentAfterMs: 2765, approvalWaitMs: 900, hostWaitMs: 12, runMs: 1800 }
          })
        },
        toolCallOrder: ['call_sh'],
        approvals: {
          call_sh: { ...approvalView, decision: { decision: 'allow', scope: 'once', message: null, rule: null, by: 'person', decidedAt: tsOf(10) } }
        },
        userInputs: [{ kind: 'task', text: TASK, at: tsOf(1), delivered: false }],
        timeline: [
          { kind: 'user', index: 0 },
          { kind: 'item', key: '0:fc_1' },
          { kind: 'tool_result', callId: 'call_sh' }
        ],
        sentThrough: 3,
        usage,
        cursor: { responseIndex: null, lastSequence: null, turn: 2 }
      })
    )
  })

  it('shows the call waiting for approval, then requested again once decided', () => {
    const waiting = fold([...requested, approvalRequest])
    expect(waiting.toolCalls).toEqual({ call_sh: call({ status: 'awaiting_approval' }) })
    expect(waiting.approvals).toEqual({ call_sh: { ...approvalView, decision: null } })
    const denied = fold([
      ...requested,
      approvalRequest,
      { type: 'approval.decided', callId: 'call_sh', decision: 'deny', scope: 'once', message: 'Not on this branch.', rule: null, by: 'person' },
      toolFinished('call_sh', 'The person declined to run this command: Not on this branch.', { status: 'denied', exitCode: null, durationMs: 0 })
    ])
    expect(denied.toolCalls).toEqual({
      call_sh: call({
        status: 'denied',
        output: 'The person declined to run this command: Not on this branch.',
        durationMs: 0,
        finishedAt: tsOf(11)
      })
    })
    expect(denied.approvals.call_sh?.decision).toEqual({
      decision: 'deny',
      scope: 'once',
      message: 'Not on this branch.',
      rule: null,
      by: 'person',
      decidedAt: tsOf(10)
    })
  })

  it('keeps only the tail of a long terminal output and counts what it dropped', () => {
    const chunk = 'x'.repeat(200 * 1024)
    const state = fold([
      ...requested,
      { type: 'tool.started', callId: 'call_sh', name: 'shell', arguments: ARGS },
      { type: 'tool.output', callId: 'call_sh', data: chunk },
      { type: 'tool.output', callId: 'call_sh', data: `${'y'.repeat(100 * 1024 - 4)}done` }
    ])
    const terminal = state.toolCalls.call_sh?.terminal ?? ''
    expect(terminal.length).toBe(TERMINAL_TAIL_BYTES)
    expect(terminal.endsWith('done')).toBe(true)
    expect(terminal.startsWith('x'.repeat(156 * 1024))).toBe(true)
    expect(state.toolCalls.call_sh?.terminalDroppedBytes).toBe(44 * 1024)
  })

  it('tracks a call the model never announced, keyed by call id', () => {
    const state = fold([runStarted(), { type: 'tool.started', callId: 'call_resumed', name: 'read_file', arguments: '{"path":"README.md"}' }])
    expect(state.toolCalls).toEqual({
      call_resumed: call({
        callId: 'call_resumed',
        name: 'read_file',
        arguments: '{"path":"README.md"}',
        itemKey: null,
        responseIndex: null,
        status: 'running',
        startedAt: tsOf(1)
      })
    })
    expect(state.toolCallOrder).toEqual(['call_resumed'])
  })

  it('drops a response that was streaming when the connection went away, and counts reconnects', () => {
    const partial = new ResponseStream('resp_1').created().message('msg_1', ['Running the', ' tests now'])
    const bodies: RunRecordBody[] = [
      runStarted(),
      { type: 'transport.changed', state: 'connected', transport: 'ws', attempt: null, maxAttempts: null, reason: null }, // 1
      { type: 'user.input', kind: 'task', text: TASK }, // 2
      requestSent(1, [userTask(TASK)]), // 3
      ...serverEvents(partial.events.slice(0, 5)), // 4..8: created, added, part added, two deltas
      { type: 'transport.changed', state: 'reconnecting', transport: 'ws', attempt: 1, maxAttempts: 5, reason: 'socket closed (1006)' } // 9
    ]
    const state = fold(bodies)
    expect(state).toEqual(
      running({
        lastSeq: 9,
        lastTs: tsOf(9),
        turns: [
          {
            turn: 1,
            transport: 'ws',
            mode: 'full',
            previousResponseId: null,
            bytes: 512,
            sentAt: tsOf(3),
            inputCount: 1,
            responseIndexes: [0],
            failure: null,
            firstEventMs: null,
            durationMs: null
          }
        ],
        responses: [
          { id: 'resp_1', turn: 1, status: 'dropped', previousResponseId: null, itemKeys: ['0:msg_1'], usage: null, error: null, incompleteReason: null, ended: false }
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
            parts: [{ type: 'output_text', text: 'Running the tests now' }],
            phase: null
          }
        },
        userInputs: [{ kind: 'task', text: TASK, at: tsOf(2), delivered: false }],
        timeline: [
          { kind: 'user', index: 0 },
          { kind: 'item', key: '0:msg_1' }
        ],
        sentThrough: 1,
        transport: {
          transport: 'ws',
          state: 'reconnecting',
          attempt: 1,
          maxAttempts: 5,
          reason: 'socket closed (1006)',
          reconnects: 1,
          rotations: 0,
          fellBack: false
        },
        cursor: { responseIndex: 0, lastSequence: 4, turn: 1 }
      })
    )
  })

  it('keeps an open response when the transport only connects, and records fallback and rotation', () => {
    const open = new ResponseStream('resp_1').created()
    const state = fold([
      runStarted(),
      requestSent(1, [userTask(TASK)]),
      ...serverEvents(open.events),
      { type: 'transport.changed', state: 'connected', transport: 'ws', attempt: null, maxAttempts: null, reason: null }
    ])
    expect(state.responses.map((response) => response.status)).toEqual(['in_progress'])
    const later = foldRecords(
      stamp(
        [
          { type: 'transport.changed', state: 'rotated', transport: 'ws', attempt: null, maxAttempts: null, reason: 'connection age 55 min' },
          { type: 'transport.changed', state: 'reconnecting', transport: 'ws', attempt: 1, maxAttempts: 3, reason: 'upgrade refused (426)' },
          { type: 'transport.changed', state: 'fell_back', transport: 'sse', attempt: null, maxAttempts: null, reason: 'upgrade refused (426)' }
        ],
        state.lastSeq + 1,
        tsOf(state.lastSeq + 1)
      ),
      state
    )
    expect(later.transport).toEqual({
      transport: 'sse',
      state: 'fell_back',
      attempt: null,
      maxAttempts: null,
      reason: 'upgrade refused (426)',
      reconnects: 1,
      rotations: 1,
      fellBack: true
    })
    expect(later.responses.map((response) => response.status)).toEqual(['dropped'])
  })

  it('records steering and interrupts; a steer the server accepted counts as delivered', () => {
    const stream = new ResponseStream('resp_1').created()
    const accepted = {
      type: 'response.steer.accepted',
      sequence_number: 1,
      steer: { id: 'steer_1', previous_response_id: 'resp_1' }
    } as ServerEvent
    const state = fold([
      runStarted(),
      { type: 'user.input', kind: 'task', text: TASK },
      requestSent(1, [userTask(TASK)]),
      ...serverEvents(stream.events),
      { type: 'user.input', kind: 'steer', text: 'only the unit tests' },
      { type: 'server.event', event: accepted },
      { type: 'user.input', kind: 'interrupt', text: '' }
    ])
    expect(state.userInputs).toEqual([
      { kind: 'task', text: TASK, at: tsOf(1), delivered: false },
      { kind: 'steer', text: 'only the unit tests', at: tsOf(4), delivered: true },
      { kind: 'interrupt', text: '', at: tsOf(6), delivered: false }
    ])
    expect(state.timeline).toEqual([
      { kind: 'user', index: 0 },
      { kind: 'user', index: 1 },
      { kind: 'user', index: 2 }
    ])
  })

  it('records a refused request as an error of its turn', () => {
    const state = fold([
      runStarted(),
      requestSent(1, [userTask(TASK)]),
      { type: 'request.failed', turn: 1, status: 401, code: 'invalid_api_key', message: 'Incorrect API key provided.', retryable: false }
    ])
    expect(state.errors).toEqual([{ source: 'request', code: 'invalid_api_key', message: 'Incorrect API key provided.', responseIndex: null, at: tsOf(2) }])
    expect(state.turns.map((turn) => turn.failure)).toEqual([{ code: 'invalid_api_key', message: 'Incorrect API key provided.' }])
  })

  it('records a malformed frame as a protocol error', () => {
    const state = fold([
      runStarted(),
      { type: 'server.malformed', error: { code: 'malformed_json', message: 'frame is not JSON: Unexpected token', excerpt: '{"type":"response.out' } }
    ])
    expect(state).toEqual(
      running({
        lastSeq: 1,
        lastTs: tsOf(1),
        errors: [{ source: 'protocol', code: 'malformed_json', message: 'frame is not JSON: Unexpected token', responseIndex: null, at: tsOf(1) }]
      })
    )
  })

  it('finishes a run, dropping a response still open, and resumes it', () => {
    const open = new ResponseStream('resp_1').created()
    const bodies: RunRecordBody[] = [
      runStarted(),
      requestSent(1, [userTask(TASK)]),
      ...serverEvents(open.events),
      { type: 'run.finished', outcome: 'interrupted', reason: 'the person stopped the run' }
    ]
    const finished = fold(bodies)
    expect(finished).toEqual(
      running({
        status: 'interrupted',
        finishReason: 'the person stopped the run',
        finishedAt: tsOf(3),
        lastSeq: 3,
        lastTs: tsOf(3),
        turns: [
          {
            turn: 1,
            transport: 'ws',
            mode: 'full',
            previousResponseId: null,
            bytes: 512,
            sentAt: tsOf(1),
            inputCount: 1,
            responseIndexes: [0],
            failure: null,
            firstEventMs: null,
            durationMs: null
          }
        ],
        responses: [
          { id: 'resp_1', turn: 1, status: 'dropped', previousResponseId: null, itemKeys: [], usage: null, error: null, incompleteReason: null, ended: false }
        ],
        responseIndexById: { resp_1: 0 },
        cursor: { responseIndex: 0, lastSequence: 0, turn: 1 }
      })
    )
    const resumed = fold([...bodies, { type: 'log.repaired', truncatedBytes: 311, reason: 'torn last line' }, { type: 'run.resumed', reason: 'tether run --resume' }])
    expect(resumed).toEqual({
      ...finished,
      status: 'running',
      finishReason: null,
      finishedAt: null,
      resumes: 1,
      logRepairs: 1,
      lastSeq: 5,
      lastTs: tsOf(5),
      timeline: [...finished.timeline, { kind: 'resumed', reason: 'tether run --resume', at: tsOf(5), freshShell: false }]
    })
  })

  it('drops a response open when the process died, on resume', () => {
    const open = new ResponseStream('resp_1').created()
    const state = fold([runStarted(), requestSent(1, [userTask(TASK)]), ...serverEvents(open.events), { type: 'run.resumed', reason: 'app restarted' }])
    expect(state.responses.map((response) => response.status)).toEqual(['dropped'])
    expect(state.resumes).toBe(1)
    expect(state.status).toBe('running')
  })

  it('is pure: folding never changes its input state or records', () => {
    const records = stamp([...requested, approvalRequest, { type: 'tool.started', callId: 'call_sh', name: 'shell', arguments: ARGS }])
    const snapshot = JSON.parse(JSON.stringify(records)) as unknown
    const states: RunState[] = []
    let state = initialRunState
    for (const record of records) {
      const before = JSON.stringify(state)
      const next = reduce(state, record)
      expect(JSON.stringify(state)).toBe(before)
      states.push(next)
      state = next
    }
    expect(records).toEqual(snapshot)
    expect(foldRecords(records)).toEqual(state)
    expect(JSON.parse(JSON.stringify(state))).toEqual(state)
  })

  it('folds many records into the same state as reducing them one by one, without touching the start state', () => {
    const records = stamp([...requested, approvalRequest, { type: 'tool.started', callId: 'call_sh', name: 'shell', arguments: ARGS }])
    const middle = foldRecords(records.slice(0, 5))
    const snapshot = JSON.stringify(middle)
    const folded = foldRecords(records.slice(5), middle)
    expect(JSON.stringify(middle)).toBe(snapshot)
    expect(folded).toStrictEqual(records.reduce(reduce, initialRunState))
    // A second fold from the same start gives the same state again.
    expect(foldRecords(records.slice(5), middle)).toStrictEqual(folded)
  })
})
