// One realistic run with everything a transcript has to get right: reasoning, a tool call and its
// result, a response dropped with the connection and resent, an interrupt and a steer. Pure TypeScript.
import type { RunRecordBody } from '../common/run/records'
import { functionOutput, requestSent, runStarted, serverEvents, toolFinished, userTask } from './run-records'
import { ResponseStream, wireUsage } from './wire-events'

export const SAMPLE_TASK = 'Run the tests'
export const SAMPLE_ARGS = '{"command":"npm test"}'
export const SAMPLE_USAGE = [wireUsage(300, 25, 0, 10), wireUsage(350, 12, 256)] as const

export function sampleRun(): RunRecordBody[] {
  const first = new ResponseStream('resp_1')
    .created()
    .inProgress()
    .reasoning('rs_1', [['Run npm test first.']], 'gAAAA-enc')
    .functionCall('fc_1', 'call_sh', 'shell', [SAMPLE_ARGS])
    .completed(SAMPLE_USAGE[0])
  const dropped = new ResponseStream('resp_2', { previousResponseId: 'resp_1' }).created().message('msg_2', ['All 12', ' tests'])
  const resent = new ResponseStream('resp_3').created().inProgress().message('msg_3', ['All 12 tests pass.']).completed(SAMPLE_USAGE[1])
  return [
    runStarted(),
    { type: 'transport.changed', state: 'connected', transport: 'ws', attempt: null, maxAttempts: null, reason: null },
    { type: 'user.input', kind: 'task', text: SAMPLE_TASK },
    requestSent(1, [userTask(SAMPLE_TASK)], null, 900),
    ...serverEvents(first.events),
    { type: 'metrics.turn', turn: 1, transport: 'ws', mode: 'full', bytesSent: 900, firstEventMs: 210, durationMs: 1300 },
    { type: 'tool.started', callId: 'call_sh', name: 'shell', arguments: SAMPLE_ARGS },
    { type: 'tool.output', callId: 'call_sh', data: 'ok 12 tests\r\n' },
    toolFinished('call_sh', 'ok 12 tests', { durationMs: 1800 }),
    {
      type: 'metrics.tool',
      callId: 'call_sh',
      startedAfterMs: 15,
      finishedAfterMs: 1815,
      outputSentAfterMs: 1820,
      approvalWaitMs: 0,
      hostWaitMs: 9,
      runMs: 1800
    },
    requestSent(2, [functionOutput('call_sh', 'ok 12 tests')], 'resp_1', 150),
    ...serverEvents(dropped.events.slice(0, 5)),
    { type: 'transport.changed', state: 'reconnecting', transport: 'ws', attempt: 1, maxAttempts: 5, reason: 'socket closed (1006)' },
    { type: 'transport.changed', state: 'connected', transport: 'ws', attempt: null, maxAttempts: null, reason: null },
    requestSent(2, [userTask(SAMPLE_TASK), functionOutput('call_sh', 'ok 12 tests')], null, 2400),
    ...serverEvents(resent.events),
    { type: 'metrics.turn', turn: 2, transport: 'ws', mode: 'full', bytesSent: 2400, firstEventMs: 330, durationMs: 900 },
    { type: 'user.input', kind: 'interrupt', text: '' },
    { type: 'user.input', kind: 'steer', text: 'Also run the linter' },
    { type: 'run.finished', outcome: 'completed', reason: null }
  ]
}
