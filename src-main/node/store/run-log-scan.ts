// Reads a run log from any complete line on, a chunk at a time, giving the event loop back between
// chunks: a log of a gigabyte or of millions of records is read without holding its bytes in
// memory or freezing the host. The one rule for which lines count: a line whose checksum and
// envelope are good and whose seq follows the last record taken; anything else is a problem,
// reported with its line number, and bytes after the last newline are a torn tail.
import type { FileHandle } from 'node:fs/promises'
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { RunRecord } from '../../common/run/records'
import { decodeLine } from './record-codec'

const NEWLINE = 0x0a
/** Read between two turns of the event loop: a few milliseconds of work. */
const CHUNK_BYTES = 512 * 1024

/** Where a scan stands: before the line at `offset`, which is line `line + 1` of the file. */
export interface ScanPosition {
  offset: number
  /** Lines before `offset`. */
  line: number
  /** Seq of the last record taken before `offset`; null before the first. */
  lastSeq: number | null
}

export const LOG_START: ScanPosition = Object.freeze({ offset: 0, line: 0, lastSeq: null })

export interface ScanVisitor {
  /** A record taken, starting at byte `offset`. Returning true stops the scan after it. */
  record(record: RunRecord, offset: number): boolean | void
  problem?(line: number, reason: string): void
  progress?(loadedBytes: number, totalBytes: number): void
  /** Work put off while records were read, done between two chunks (it may give the event loop back itself). */
  between?(): Promise<void>
  /** Something to wait for before the records of the next chunk are taken, or null to take them now. */
  ready?(): Promise<unknown> | null
}

export interface ScanEnd {
  /** After the last complete line read (or after the record the scan stopped at). */
  position: ScanPosition
  /** Bytes after the last newline, when the scan read to the end of the file. */
  tornTailBytes: number
  /** The file's size when the scan started. */
  totalBytes: number
}

export async function scanRunLog(file: FileHandle, from: ScanPosition, visitor: ScanVisitor): Promise<ScanEnd> {
  const totalBytes = (await file.stat()).size
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES)
  let carry: Buffer = Buffer.alloc(0)
  /** File offset of `carry[0]`. */
  let base = from.offset
  let line = from.line
  let lastSeq = from.lastSeq
  for (;;) {
    const { bytesRead } = await file.read(chunk, 0, CHUNK_BYTES, base + carry.length)
    if (bytesRead === 0) break
    // Checked right before the records are taken: nothing else runs from here to the end of the chunk.
    for (let wait = visitor.ready?.(); wait; wait = visitor.ready?.()) await wait
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead)
    let start = 0
    for (let newline = bytes.indexOf(NEWLINE, start); newline !== -1; newline = bytes.indexOf(NEWLINE, start)) {
      line += 1
      let stop = false
      if (newline > start) {
        const decoded = decodeLine(bytes, start, newline)
        if (!decoded.ok) visitor.problem?.(line, decoded.reason)
        else {
          const seq = decoded.record.seq
          if (lastSeq !== null && seq !== lastSeq + 1) {
            visitor.problem?.(line, `seq ${seq} after ${lastSeq}: ${seq <= lastSeq ? 'out of order' : 'missing records before this one'}`)
          }
          if (lastSeq === null || seq > lastSeq) {
            stop = visitor.record(decoded.record, base + start) === true
            lastSeq = seq
          }
        }
      }
      start = newline + 1
      if (stop) return { position: { offset: base + start, line, lastSeq }, tornTailBytes: 0, totalBytes }
    }
    // The unfinished line is copied: `chunk` is reused for the next read.
    base += start
    carry = Buffer.from(bytes.subarray(start))
    visitor.progress?.(base + carry.length, totalBytes)
    await visitor.between?.()
    await nextTurn()
  }
  return { position: { offset: base, line, lastSeq }, tornTailBytes: carry.length, totalBytes }
}
