// Reads a run log. A torn last line (no newline: the process died mid-write) is reported as such;
// a damaged line in the middle is reported with its line number and the rest still reads.
import { readFile } from 'node:fs/promises'
import type { RunRecord } from '../../common/run/records'
import { decodeLine } from './record-codec'

const NEWLINE = 0x0a

export interface LogProblem {
  line: number
  reason: string
}

export interface RunLogContents {
  records: RunRecord[]
  problems: LogProblem[]
  /** Bytes after the last newline: a write the process did not finish. */
  tornTail: { offset: number; bytes: number } | null
  /** Byte length of the complete lines, where the next append goes after repair. */
  validLength: number
}

export function parseRunLog(bytes: Buffer): RunLogContents {
  const records: RunRecord[] = []
  const problems: LogProblem[] = []
  let start = 0
  let line = 0
  while (start < bytes.length) {
    const newline = bytes.indexOf(NEWLINE, start)
    if (newline === -1) break
    line += 1
    if (newline > start) {
      const decoded = decodeLine(bytes, start, newline)
      if (!decoded.ok) {
        problems.push({ line, reason: decoded.reason })
      } else {
        const previous = records[records.length - 1]
        if (previous && decoded.record.seq !== previous.seq + 1) {
          const reason = decoded.record.seq <= previous.seq ? 'out of order' : 'missing records before this one'
          problems.push({ line, reason: `seq ${decoded.record.seq} after ${previous.seq}: ${reason}` })
        }
        if (!previous || decoded.record.seq > previous.seq) records.push(decoded.record)
      }
    }
    start = newline + 1
  }
  const tornTail = start < bytes.length ? { offset: start, bytes: bytes.length - start } : null
  return { records, problems, tornTail, validLength: start }
}

export async function readRunLog(path: string): Promise<RunLogContents> {
  return parseRunLog(await readFile(path))
}
