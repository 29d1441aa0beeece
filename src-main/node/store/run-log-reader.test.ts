import { describe, expect, it } from 'vitest'
import type { RunRecordBody } from '../../common/run/records'
import { runStarted, stamp } from '../../test-support/run-records'
import { encodeRecord } from './record-codec'
import { parseRunLog } from './run-log-reader'

const bodies: RunRecordBody[] = [
  runStarted(),
  { type: 'user.input', kind: 'task', text: 'Run the tests' },
  { type: 'tool.output', callId: 'call_1', data: 'ok\r\n' },
  { type: 'run.finished', outcome: 'completed', reason: null }
]
const records = stamp(bodies)
const lines = records.map(encodeRecord)

describe('parseRunLog', () => {
  it('reads every record of a clean log', () => {
    const bytes = Buffer.from(lines.join(''))
    expect(parseRunLog(bytes)).toEqual({ records, problems: [], tornTail: null, validLength: bytes.length })
  })

  it('reports a corrupt line in the middle with its line number and reads the rest', () => {
    const damaged = [lines[0], lines[1]!.replace('Run the tests', 'Run the tesst'), lines[2], lines[3]].join('')
    expect(parseRunLog(Buffer.from(damaged))).toEqual({
      records: [records[0], records[2], records[3]],
      problems: [
        { line: 2, reason: expect.stringMatching(/^checksum mismatch/) },
        { line: 3, reason: 'seq 2 after 0: missing records before this one' }
      ],
      tornTail: null,
      validLength: Buffer.byteLength(damaged)
    })
  })

  it('reports a torn last line as a tail to cut, not as a problem', () => {
    const whole = lines.slice(0, 3).join('')
    const torn = `${whole}${lines[3]!.slice(0, 25)}`
    expect(parseRunLog(Buffer.from(torn))).toEqual({
      records: records.slice(0, 3),
      problems: [],
      tornTail: { offset: Buffer.byteLength(whole), bytes: 25 },
      validLength: Buffer.byteLength(whole)
    })
  })

  it('drops a record that repeats or goes back in sequence, and says so', () => {
    const repeated = [lines[0], lines[1], lines[1], lines[2]].join('')
    expect(parseRunLog(Buffer.from(repeated))).toEqual({
      records: records.slice(0, 3),
      problems: [{ line: 3, reason: 'seq 1 after 1: out of order' }],
      tornTail: null,
      validLength: Buffer.byteLength(repeated)
    })
  })

  it('skips blank lines but counts them in line numbers', () => {
    const spaced = `${lines[0]}\n${lines[1]}not a record\n${lines[2]}`
    expect(parseRunLog(Buffer.from(spaced))).toEqual({
      records: records.slice(0, 3),
      problems: [{ line: 4, reason: 'no checksum' }],
      tornTail: null,
      validLength: Buffer.byteLength(spaced)
    })
  })

  it('reads an empty file as an empty log', () => {
    expect(parseRunLog(Buffer.alloc(0))).toEqual({ records: [], problems: [], tornTail: null, validLength: 0 })
  })
})
