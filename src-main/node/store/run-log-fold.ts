// Folds a run log straight from the file, a chunk at a time, giving the event loop back between
// chunks: a log of a gigabyte or of millions of records opens without holding its bytes in memory
// or freezing the host, and reports how far it got. What cannot be read is reported, never
// dropped in silence: damaged lines by line number, and a torn last line by its size.
import { open } from 'node:fs/promises'
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { RunLogHealth } from '../../common/api/contract'
import { LiveFold } from '../../common/run/reduce'
import type { RunState } from '../../common/run/state'
import { decodeLine } from './record-codec'

const NEWLINE = 0x0a
/** Read and folded between two turns of the event loop: a few milliseconds of work. */
const CHUNK_BYTES = 512 * 1024

export type LogHealth = RunLogHealth

export interface FoldedLog {
  state: RunState
  health: LogHealth
  bytes: number
}

export interface FoldProgress {
  loadedBytes: number
  totalBytes: number
}

/** Problems kept in full; more are only counted. */
const PROBLEMS_KEPT = 20

export async function foldRunLog(path: string, onProgress?: (progress: FoldProgress) => void): Promise<FoldedLog> {
  const file = await open(path, 'r')
  try {
    const totalBytes = (await file.stat()).size
    const fold = new LiveFold()
    const health: LogHealth = { problems: [], problemCount: 0, tornTailBytes: 0 }
    const problem = (line: number, reason: string): void => {
      health.problemCount += 1
      if (health.problems.length < PROBLEMS_KEPT) health.problems.push({ line, reason })
    }
    let carry: Buffer = Buffer.alloc(0)
    let position = 0
    let line = 0
    let lastSeq: number | null = null
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES)
    for (;;) {
      const { bytesRead } = await file.read(chunk, 0, CHUNK_BYTES, position)
      if (bytesRead === 0) break
      position += bytesRead
      const bytes = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead)
      let start = 0
      for (let newline = bytes.indexOf(NEWLINE, start); newline !== -1; newline = bytes.indexOf(NEWLINE, start)) {
        line += 1
        if (newline > start) {
          const decoded = decodeLine(bytes, start, newline)
          if (!decoded.ok) problem(line, decoded.reason)
          else {
            const seq = decoded.record.seq
            if (lastSeq !== null && seq !== lastSeq + 1) {
              problem(line, `seq ${seq} after ${lastSeq}: ${seq <= lastSeq ? 'out of order' : 'missing records before this one'}`)
            }
            if (lastSeq === null || seq > lastSeq) {
              fold.apply(decoded.record)
              lastSeq = seq
            }
          }
        }
        start = newline + 1
      }
      // The unfinished line is copied: `chunk` is reused for the next read.
      carry = Buffer.from(bytes.subarray(start))
      onProgress?.({ loadedBytes: position, totalBytes })
      await nextTurn()
    }
    health.tornTailBytes = carry.length
    return { state: fold.snapshot(), health, bytes: position }
  } finally {
    await file.close()
  }
}
