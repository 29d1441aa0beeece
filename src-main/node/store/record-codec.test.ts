import { describe, expect, it } from 'vitest'
import type { RunRecord } from '../../common/run/records'
import { runStarted, stamp } from '../../test-support/run-records'
import { decodeLine, encodeRecord, looksLikeRecordLine } from './record-codec'

const [started, output] = stamp([runStarted(), { type: 'tool.output', callId: 'call_1', data: 'héllo ✓ 𝄞\r\n"quoted"\n' }])

function decode(line: string) {
  const bytes = Buffer.from(line, 'utf8')
  const end = bytes[bytes.length - 1] === 0x0a ? bytes.length - 1 : bytes.length
  return decodeLine(bytes, 0, end)
}

describe('encodeRecord / decodeLine', () => {
  it('writes one line with the envelope first and the checksum last', () => {
    const line = encodeRecord(started as RunRecord)
    expect(line.endsWith('"}\n')).toBe(true)
    expect(line.indexOf('\n')).toBe(line.length - 1)
    expect(line).toMatch(/^\{"v":1,"seq":0,"ts":\d+,"type":"run.started",.*,"crc":"[0-9a-f]{8}"\}\n$/)
    expect(looksLikeRecordLine(line)).toBe(true)
  })

  it('round-trips records, including multi-byte text and newlines inside strings', () => {
    for (const record of [started!, output!]) {
      expect(decode(encodeRecord(record))).toEqual({ ok: true, record })
    }
  })

  it('detects a changed byte', () => {
    const line = encodeRecord(output!).replace('héllo', 'hallo')
    expect(decode(line)).toEqual({ ok: false, reason: expect.stringMatching(/^checksum mismatch \(stored [0-9a-f]{8}, computed [0-9a-f]{8}\)$/) })
  })

  it('rejects lines without a checksum, from another version, or of an unknown type', () => {
    expect(decode('{"v":1,"seq":0,"ts":1,"type":"run.finished"}')).toEqual({ ok: false, reason: 'no checksum' })
    expect(decode('')).toEqual({ ok: false, reason: 'no checksum' })
    const future = encodeRecord({ ...output!, v: 2 } as unknown as RunRecord)
    expect(decode(future)).toEqual({ ok: false, reason: 'unsupported version 2' })
    const unknown = encodeRecord({ ...output!, type: 'tool.exploded' } as unknown as RunRecord)
    expect(decode(unknown)).toEqual({ ok: false, reason: 'unknown record type "tool.exploded"' })
    const noSeq = encodeRecord({ ...output!, seq: 'one' } as unknown as RunRecord)
    expect(decode(noSeq)).toEqual({ ok: false, reason: 'missing seq or ts' })
  })

  it('tells a run log line from other JSON lines', () => {
    expect(looksLikeRecordLine('{"type":"response.created","sequence_number":0}')).toBe(false)
    expect(looksLikeRecordLine('{"v":1,"seq":0,"ts":1,"type":"run.started"}')).toBe(false)
  })
})

describe('decodeLine on a line whose end was changed', () => {
  it('rejects a line that does not close with the checksum', () => {
    const line = encodeRecord(output!).trimEnd()
    expect(decode(`${line.slice(0, -2)}"]`)).toEqual({ ok: false, reason: 'no checksum' })
    expect(decode(`${line.slice(0, -1)}`)).toEqual({ ok: false, reason: 'no checksum' })
  })
})

describe('decodeLine on a damaged checksum', () => {
  it('reports digits that are not a checksum as a mismatch, with what was stored', () => {
    const line = encodeRecord(output!).trimEnd()
    const damaged = `${line.slice(0, -10)}zzzzzzzz"}`
    expect(decode(damaged)).toEqual({ ok: false, reason: expect.stringMatching(/^checksum mismatch \(stored zzzzzzzz, computed [0-9a-f]{8}\)$/) })
  })
})
