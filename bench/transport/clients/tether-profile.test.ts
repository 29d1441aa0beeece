import { describe, expect, it } from 'vitest'
import type { RunRecord, RunRecordBody } from '../../../src-main/common/run/records'
import { functionOutput, requestSent, stamp, toolFinished } from '../../../src-main/test-support/run-records'
import { ResponseStream, wireUsage } from '../../../src-main/test-support/wire-events'
import { tetherProfile, type StampedRecord } from './tether-profile'

/** Records appended at the given times (ms). */
function at(entries: Array<[number, RunRecordBody]>): StampedRecord[] {
  const records = stamp(entries.map(([, body]) => body))
  return entries.map(([time], index) => ({ at: time, record: records[index] as RunRecord }))
}

describe('tetherProfile', () => {
  it('splits a run into syncs, the gate, the tool host round trip and the hand-offs between response, tools and request', () => {
    const first = new ResponseStream('resp_1').created().functionCall('fc_1', 'call_a', 'shell', ['{"command":"ls","timeout_ms":null}']).completed(wireUsage(10, 5))
    const second = new ResponseStream('resp_2').created().completed(wireUsage(20, 2))
    const done = first.events.find((event) => event.type === 'response.output_item.done')
    const completed = first.events.find((event) => event.type === 'response.completed')
    const secondCompleted = second.events.find((event) => event.type === 'response.completed')
    if (!done || !completed || !secondCompleted) throw new Error('the stream lacks the events the test needs')
    const stamped = at([
      [100, { type: 'server.event', event: done }],
      [110, { type: 'server.event', event: completed }],
      [112, { type: 'tool.started', callId: 'call_a', name: 'shell', arguments: '{"command":"ls","timeout_ms":null}' }],
      [138, toolFinished('call_a', 'ok', { durationMs: 20 })],
      [141, requestSent(2, [functionOutput('call_a', 'ok')], 'resp_1')],
      [141, { type: 'metrics.tool', callId: 'call_a', startedAfterMs: 15, finishedAfterMs: 40, outputSentAfterMs: 41, approvalWaitMs: 1, hostWaitMs: 0.5, runMs: 20 }],
      [200, { type: 'server.event', event: secondCompleted }]
    ])
    expect(tetherProfile(stamped, 9, 203)).toEqual({
      startMs: 9,
      toolStartedSyncMs: 3,
      toolFinishedSyncMs: 2,
      gateMs: 1,
      hostRoundTripMs: 3,
      responseToToolsMs: 2,
      toolsToRequestMs: 1,
      finishMs: 3,
      callsRunEarly: 0
    })
  })

  it('counts a call waiting behind the one before it in its turn only from that call\'s end', () => {
    const stream = new ResponseStream('resp_1').created().functionCall('fc_1', 'call_a', 'shell', ['{"command":"touch a","timeout_ms":null}']).functionCall('fc_2', 'call_b', 'shell', ['{"command":"touch b","timeout_ms":null}']).completed(wireUsage(10, 5))
    const [doneA, doneB] = stream.events.filter((event) => event.type === 'response.output_item.done')
    if (!doneA || !doneB) throw new Error('the stream lacks the events the test needs')
    const metrics = (callId: string, startedAfterMs: number, finishedAfterMs: number): RunRecordBody => ({ type: 'metrics.tool', callId, startedAfterMs, finishedAfterMs, outputSentAfterMs: finishedAfterMs, approvalWaitMs: 0, hostWaitMs: 0, runMs: finishedAfterMs - startedAfterMs - 1 })
    const stamped = at([
      [100, { type: 'server.event', event: doneA }],
      [101, { type: 'server.event', event: doneB }],
      [112, { type: 'tool.started', callId: 'call_a', name: 'shell', arguments: '{"command":"touch a","timeout_ms":null}' }],
      [112.5, { type: 'tool.started', callId: 'call_b', name: 'shell', arguments: '{"command":"touch b","timeout_ms":null}' }],
      [139, toolFinished('call_a', 'ok', { durationMs: 20 })],
      [159, toolFinished('call_b', 'ok', { durationMs: 15 })],
      [161, metrics('call_a', 15, 40)],
      [161, metrics('call_b', 40, 59)]
    ])
    // call_a waits 3 ms for its sync; call_b is on disk long before call_a ends at 140 and starts at 141.
    expect(tetherProfile(stamped, 0, 170).toolStartedSyncMs).toBe(4)
  })

  it('counts the calls that started while their response still streamed', () => {
    const stream = new ResponseStream('resp_1').created().functionCall('fc_1', 'call_a', 'read_file', ['{"path":"a"}']).functionCall('fc_2', 'call_b', 'shell', ['{"command":"touch b"}']).completed(wireUsage(10, 5))
    const created = stream.events.find((event) => event.type === 'response.created')
    const completed = stream.events.find((event) => event.type === 'response.completed')
    if (!created || !completed) throw new Error('the stream lacks the events the test needs')
    const stamped = at([
      [100, { type: 'server.event', event: created }],
      [105, { type: 'tool.started', callId: 'call_a', name: 'read_file', arguments: '{"path":"a"}' }],
      [110, { type: 'server.event', event: completed }],
      [112, { type: 'tool.started', callId: 'call_b', name: 'shell', arguments: '{"command":"touch b"}' }]
    ])
    expect(tetherProfile(stamped, 1, 120).callsRunEarly).toBe(1)
  })

  it('is all zeros but the start for a run without tool calls or responses', () => {
    expect(tetherProfile([], 4, 10)).toEqual({ startMs: 4, toolStartedSyncMs: 0, toolFinishedSyncMs: 0, gateMs: 0, hostRoundTripMs: 0, responseToToolsMs: 0, toolsToRequestMs: 0, finishMs: 0, callsRunEarly: 0 })
  })
})
