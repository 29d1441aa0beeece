import { describe, expect, it } from 'vitest'
import { foldRecords } from '../../../src-main/common/run/reduce'
import { requestSent, runStarted, serverEvents, stamp, toolFinished, userTask } from '../../../src-main/test-support/run-records'
import { ResponseStream, wireUsage } from '../../../src-main/test-support/wire-events'
import { callLabel, entryOf, pendingApprovals, runPhase, transcriptEntries } from './transcript'

const streaming = new ResponseStream('resp_1').created().reasoning('rs_1', [['**Plan**', ' read the tests']]).message('msg_1', ['Running ', 'the tests.']).functionCall('fc_1', 'call_1', 'shell', ['{"command":', '"npm test"}'])

describe('the transcript view', () => {
  it('lists person input, reasoning, text and tool calls in the order they happened', () => {
    const state = foldRecords(stamp([runStarted(), { type: 'user.input', kind: 'task', text: 'Fix it' }, requestSent(1, [userTask('Fix it')]), ...serverEvents(streaming.events)]))
    expect(transcriptEntries(state).map((entry) => [entry.kind, entry.key, 'streaming' in entry ? entry.streaming : null])).toEqual([
      ['user', 'user:0', null],
      ['reasoning', 'item:0:rs_1', false],
      ['message', 'item:0:msg_1', false],
      ['tool', 'item:0:fc_1', null]
    ])
    expect(runPhase(state, true)).toBe('streaming')
    expect(runPhase(state, false)).toBe('unfinished')
  })

  it('marks the message still streaming and shows the call\'s command', () => {
    const open = new ResponseStream('resp_1').created()
    const events = [...open.events, ...new ResponseStream('resp_1').message('msg_1', ['Hel']).events.filter((event) => event.type !== 'response.output_item.done' && event.type !== 'response.output_text.done' && event.type !== 'response.content_part.done')]
    const state = foldRecords(stamp([runStarted(), requestSent(1, [userTask('Hi')]), ...serverEvents(events)]))
    const message = transcriptEntries(state).find((entry) => entry.kind === 'message')
    expect(message?.kind === 'message' && message.streaming).toBe(true)
    const done = foldRecords(stamp([runStarted(), requestSent(1, [userTask('Fix it')]), ...serverEvents(streaming.completed(wireUsage(10, 5)).events)]))
    const tool = transcriptEntries(done).find((entry) => entry.kind === 'tool')
    expect(tool?.kind === 'tool' && tool.label).toBe('npm test')
    expect(tool?.kind === 'tool' && callLabel(tool.call, { shell: { labelArgument: 'command', prefixName: true } })).toBe('shell npm test')
  })

  it('labels a call with the control and bidi characters of its command escaped', () => {
    const hostile = new ResponseStream('resp_1').created().functionCall('fc_1', 'call_1', 'shell', [JSON.stringify({ command: 'ls \u001b[2J\u202e' })])
    const state = foldRecords(stamp([runStarted(), requestSent(1, [userTask('List')]), ...serverEvents(hostile.completed(wireUsage(1, 1)).events)]))
    const tool = transcriptEntries(state).find((entry) => entry.kind === 'tool')
    expect(tool?.kind === 'tool' && callLabel(tool.call, {})).toBe('ls \\x1b[2J\\u202e')
  })

  it('keeps approvals waiting for the person, oldest first, and says so in the phase', () => {
    const records = stamp([
      runStarted(),
      requestSent(1, [userTask('Clean')]),
      ...serverEvents(new ResponseStream('resp_1').created().functionCall('fc_1', 'call_1', 'shell', ['{"command":"rm -rf build"}']).completed(wireUsage(1, 1)).events),
      { type: 'approval.requested', callId: 'call_1', tool: 'shell', subject: 'rm -rf build', risk: 'ask', reasons: ['deletes'], subcommands: ['rm -rf build'], sandboxed: true, suggestedRule: ['rm', '-rf'] }
    ])
    const waiting = foldRecords(records)
    expect(pendingApprovals(waiting).map((approval) => approval.callId)).toEqual(['call_1'])
    expect(runPhase(waiting, true)).toBe('waiting')
    const decided = foldRecords(
      stamp([{ type: 'approval.decided', callId: 'call_1', decision: 'deny', scope: 'once', message: 'no', rule: null, by: 'person' }, toolFinished('call_1', 'no', { status: 'denied' })], records.length),
      waiting
    )
    expect(pendingApprovals(decided)).toEqual([])
  })
})

describe('TranscriptRows', () => {
  it('reads only what a growing timeline gained, and starts over on another timeline', async () => {
    const { LiveFold } = await import('../../../src-main/common/run/reduce')
    const { TranscriptRows } = await import('./transcript')
    const records = stamp([runStarted(), { type: 'user.input', kind: 'task', text: 'Fix it' }, requestSent(1, [userTask('Fix it')]), ...serverEvents(streaming.completed(wireUsage(10, 5)).events), toolFinished('call_1', 'ok')])
    const fold = new LiveFold()
    const rows = new TranscriptRows()
    const seen: string[][] = []
    for (const record of records) {
      fold.apply(record)
      if (rows.update(fold.frame())) seen.push(rows.rows.map((row) => row.key))
    }
    // One change per new row; the tool result adds none.
    expect(seen).toEqual([['user:0'], ['user:0', 'item:0:rs_1'], ['user:0', 'item:0:rs_1', 'item:0:msg_1'], ['user:0', 'item:0:rs_1', 'item:0:msg_1', 'item:0:fc_1']])
    expect(rows.update(fold.frame())).toBe(false)
    const earlier = foldRecords(records.slice(0, 3))
    expect(rows.update(earlier)).toBe(true)
    expect(rows.rows.map((row) => row.key)).toEqual(['user:0'])
    expect(rows.rows.flatMap((row) => entryOf(earlier, row.source, row.position) ?? []).map((entry) => entry.kind)).toEqual(['user'])
  })
})
