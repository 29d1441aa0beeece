import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ServerEvent } from '../../common/protocol/wire'
import { RUN_LOG_VERSION } from '../../common/run/records'
import { runStarted, stamp } from '../../test-support/run-records'
import { encodeRecord } from './record-codec'
import { NotReplayableError, parseReplaySource } from './replay-source'

const FIXTURES = join(import.meta.dirname, '..', '..', 'test-support', 'fixtures')
const jsonl = readFileSync(join(FIXTURES, 'weather-two-turns.jsonl'), 'utf8')
const events = jsonl.trim().split('\n').map((line) => JSON.parse(line) as ServerEvent)

function asSse(lines: readonly string[]): string {
  return `${lines.map((line) => `event: ${(JSON.parse(line) as ServerEvent).type}\ndata: ${line}\n\n`).join('')}data: [DONE]\n\n`
}

const serverEventRecords = events.map((event, seq) => ({ v: RUN_LOG_VERSION, seq, ts: 0, type: 'server.event', event }))

describe('parseReplaySource', () => {
  it('reads a run log with its records', () => {
    const records = stamp([runStarted(), { type: 'user.input', kind: 'task', text: 'hi' }])
    expect(parseReplaySource(Buffer.from(records.map(encodeRecord).join('')))).toEqual({ kind: 'run-log', records, problems: [] })
  })

  it('reports the damaged lines and the torn tail of a run log', () => {
    const records = stamp([runStarted(), { type: 'user.input', kind: 'task', text: 'hi' }, { type: 'user.input', kind: 'steer', text: 'more' }])
    const lines = records.map(encodeRecord)
    const damaged = `${lines[0]}${lines[1]!.replace('"hi"', '"ho"')}${lines[2]}${lines[2]!.slice(0, 30)}`
    expect(parseReplaySource(Buffer.from(damaged))).toEqual({
      kind: 'run-log',
      records: [records[0], records[2]],
      problems: [
        { line: 2, code: 'corrupt_record', message: expect.stringMatching(/^line 2: checksum mismatch/) },
        { line: 3, code: 'corrupt_record', message: 'line 3: seq 2 after 0: missing records before this one' },
        { line: null, code: 'torn_tail', message: 'the last 30 bytes are an unfinished line' }
      ]
    })
  })

  it('reads a JSONL stream of server events as numbered server.event records', () => {
    expect(parseReplaySource(Buffer.from(jsonl))).toEqual({ kind: 'jsonl-events', records: serverEventRecords, problems: [] })
  })

  it('reads the same stream as SSE text, with comments, event names and [DONE]', () => {
    const sse = `: keep-alive\n\n${asSse(jsonl.trim().split('\n'))}`
    expect(parseReplaySource(Buffer.from(sse))).toEqual({ kind: 'sse-events', records: serverEventRecords, problems: [] })
  })

  it('keeps going past bad lines of an event stream and names them', () => {
    const lines = jsonl.trim().split('\n')
    const damaged = [lines[0], '{"type":"response.output_text.delta"', 'not json at all', ...lines.slice(1)].join('\n')
    const source = parseReplaySource(Buffer.from(damaged))
    expect(source.records).toEqual(serverEventRecords)
    expect(source.problems).toEqual([
      { line: 2, code: 'malformed_json', message: expect.stringMatching(/^frame is not JSON/) },
      { line: 3, code: 'malformed_json', message: expect.stringMatching(/^frame is not JSON/) }
    ])
  })

  it('refuses files that are neither a run log nor an event stream', () => {
    const codexRollout = [
      '{"timestamp":"2026-01-01T00:00:00Z","type":"session_meta","payload":{"id":"abc"}}',
      '{"timestamp":"2026-01-01T00:00:01Z","type":"response_item","payload":{"type":"message"}}'
    ].join('\n')
    for (const text of ['', '\n\n', 'hello world\n', '{"name":"tether","version":"0.1.0"}\n', codexRollout, 'data: {"no":"type"}\n\n']) {
      expect(() => parseReplaySource(Buffer.from(text))).toThrow(NotReplayableError)
    }
    expect(() => parseReplaySource(Buffer.from([0x00, 0xff, 0x10, 0x0a]))).toThrow('neither a Tether run log nor a stream of Responses server events')
  })
})
