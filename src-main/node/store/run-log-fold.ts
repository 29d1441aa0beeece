// Folds a run log straight from the file (see run-log-scan.ts for how it is read): a log of a
// gigabyte or of millions of records opens without holding its bytes in memory or freezing the
// host, and reports how far it got. What cannot be read is reported, never dropped in silence:
// damaged lines by line number, and a torn last line by its size.
import { open } from 'node:fs/promises'
import type { RunLogHealth } from '../../common/api/contract'
import { LiveFold } from '../../common/run/reduce'
import type { RunState } from '../../common/run/state'
import { LOG_START, scanRunLog } from './run-log-scan'

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
export const PROBLEMS_KEPT = 20

export function healthyLog(): LogHealth {
  return { problems: [], problemCount: 0, tornTailBytes: 0 }
}

/** Counts a problem in `health`, keeping the first few in full. */
export function noteProblem(health: LogHealth, line: number, reason: string): void {
  health.problemCount += 1
  if (health.problems.length < PROBLEMS_KEPT) health.problems.push({ line, reason })
}

export async function foldRunLog(path: string, onProgress?: (progress: FoldProgress) => void): Promise<FoldedLog> {
  const file = await open(path, 'r')
  try {
    const fold = new LiveFold()
    const health = healthyLog()
    const end = await scanRunLog(file, LOG_START, {
      record: (record) => void fold.apply(record),
      problem: (line, reason) => noteProblem(health, line, reason),
      progress: (loadedBytes, totalBytes) => onProgress?.({ loadedBytes, totalBytes })
    })
    health.tornTailBytes = end.tornTailBytes
    return { state: fold.snapshot(), health, bytes: end.position.offset + end.tornTailBytes }
  } finally {
    await file.close()
  }
}
