// One run record <-> one line: `{"v":1,"seq":…,"ts":…,"type":…,…,"crc":"xxxxxxxx"}`.
// The checksum covers the line's JSON without the crc field, so a reader verifies bytes before parsing.
import type { RunRecord, RunRecordType } from '../../common/run/records'
import { DURABLE_RECORD, RUN_LOG_VERSION } from '../../common/run/records'
import { crc32, crc32Hex } from './crc32'

const CLOSE_BRACE = 0x7d
const QUOTE = 0x22
/** `,"crc":"xxxxxxxx"}` */
const CRC_SUFFIX_LENGTH = 18
const CRC_PREFIX = ',"crc":"'

export function encodeRecord(record: RunRecord): string {
  const json = JSON.stringify(record)
  const crc = crc32(Buffer.from(json, 'utf8'))
  return `${json.slice(0, -1)}${CRC_PREFIX}${crc32Hex(crc)}"}\n`
}

export type DecodedLine = { ok: true; record: RunRecord } | { ok: false; reason: string }

function isRecordType(type: unknown): type is RunRecordType {
  return typeof type === 'string' && Object.hasOwn(DURABLE_RECORD, type)
}

/** Decodes `bytes[start, end)`, one line without its newline. */
export function decodeLine(bytes: Buffer, start: number, end: number): DecodedLine {
  const bodyEnd = end - CRC_SUFFIX_LENGTH
  const closed = bytes[end - 2] === QUOTE && bytes[end - 1] === CLOSE_BRACE
  if (bodyEnd <= start || !closed || bytes.toString('latin1', bodyEnd, bodyEnd + CRC_PREFIX.length) !== CRC_PREFIX) {
    return { ok: false, reason: 'no checksum' }
  }
  const expected = bytes.toString('latin1', bodyEnd + CRC_PREFIX.length, end - 2)
  const actual = crc32Hex(crc32(Buffer.of(CLOSE_BRACE), 0, 1, crc32(bytes, start, bodyEnd)))
  if (expected !== actual) return { ok: false, reason: `checksum mismatch (stored ${expected}, computed ${actual})` }
  let value: unknown
  try {
    value = JSON.parse(`${bytes.toString('utf8', start, bodyEnd)}}`)
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}` }
  }
  const record = value as Partial<RunRecord>
  if (record.v !== RUN_LOG_VERSION) return { ok: false, reason: `unsupported version ${JSON.stringify(record.v)}` }
  if (typeof record.seq !== 'number' || typeof record.ts !== 'number') return { ok: false, reason: 'missing seq or ts' }
  if (!isRecordType(record.type)) return { ok: false, reason: `unknown record type ${JSON.stringify(record.type)}` }
  return { ok: true, record: value as RunRecord }
}

/** Cheap check used to tell a run log from other JSONL: the line carries our envelope and a checksum. */
export function looksLikeRecordLine(line: string): boolean {
  return line.startsWith(`{"v":${RUN_LOG_VERSION},"seq":`) && line.trimEnd().endsWith('"}') && line.includes(CRC_PREFIX)
}
