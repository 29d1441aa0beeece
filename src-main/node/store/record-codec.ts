// One run record <-> one line: `{"v":1,"seq":…,"ts":…,"type":…,…,"crc":"xxxxxxxx"}`.
// The checksum covers the line's JSON without the crc field, so a reader verifies bytes before parsing.
import type { RunRecord, RunRecordType } from '../../common/run/records'
import { isRunRecordType, RUN_LOG_VERSION } from '../../common/run/records'
import { crc32, crc32Hex } from './crc32'

const CLOSE_BRACE = 0x7d
const QUOTE = 0x22
/** The brace the checksum covers but the line carries after the crc field. */
const CLOSING = Buffer.of(CLOSE_BRACE)
/** `,"crc":"xxxxxxxx"}` */
const CRC_SUFFIX_LENGTH = 18
const CRC_PREFIX = ',"crc":"'
const CRC_PREFIX_BYTES = Buffer.from(CRC_PREFIX, 'latin1')
/** The value of each lowercase hex digit, by byte; -1 for any other byte. */
const HEX_VALUE = new Int8Array(256).fill(-1)
for (let digit = 0; digit < 16; digit++) HEX_VALUE['0123456789abcdef'.charCodeAt(digit)] = digit

export function encodeRecord(record: RunRecord): string {
  const json = JSON.stringify(record)
  const crc = crc32(Buffer.from(json, 'utf8'))
  return `${json.slice(0, -1)}${CRC_PREFIX}${crc32Hex(crc)}"}\n`
}

export type DecodedLine = { ok: true; record: RunRecord } | { ok: false; reason: string }

function isRecordType(type: unknown): type is RunRecordType {
  return typeof type === 'string' && isRunRecordType(type)
}

function hasCrcSuffix(bytes: Buffer, bodyEnd: number, end: number): boolean {
  if (bytes[end - 2] !== QUOTE || bytes[end - 1] !== CLOSE_BRACE) return false
  for (let i = 0; i < CRC_PREFIX_BYTES.length; i++) if (bytes[bodyEnd + i] !== CRC_PREFIX_BYTES[i]) return false
  return true
}

/** The stored checksum, read from its eight lowercase hex digits; -1 if they are not that. */
function storedCrc(bytes: Buffer, from: number): number {
  let value = 0
  for (let i = from; i < from + 8; i++) {
    const digit = HEX_VALUE[bytes[i]!]!
    if (digit === -1) return -1
    value = value * 16 + digit
  }
  return value
}

/** Decodes `bytes[start, end)`, one line without its newline. Checks bytes before it parses anything. */
export function decodeLine(bytes: Buffer, start: number, end: number): DecodedLine {
  const bodyEnd = end - CRC_SUFFIX_LENGTH
  if (bodyEnd <= start || !hasCrcSuffix(bytes, bodyEnd, end)) return { ok: false, reason: 'no checksum' }
  const actual = crc32(CLOSING, 0, 1, crc32(bytes, start, bodyEnd))
  if (storedCrc(bytes, bodyEnd + CRC_PREFIX_BYTES.length) !== actual) {
    const expected = bytes.toString('latin1', bodyEnd + CRC_PREFIX_BYTES.length, end - 2)
    return { ok: false, reason: `checksum mismatch (stored ${expected}, computed ${crc32Hex(actual)})` }
  }
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
