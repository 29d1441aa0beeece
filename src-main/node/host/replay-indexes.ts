// The replay indexes of this host: one per log, built once and then brought up to date by reading
// only what the log gained (a live run keeps appending). Only the last few opened are kept: each
// holds up to MAX_CHECKPOINTS folded states of its run.
import type { FoldProgress } from '../store/run-log-fold'
import { RunLogIndex, type IndexSummary } from '../store/run-log-index'

/** Indexes kept: the replay open now and the one before it. */
export const KEPT_INDEXES = 2

export class ReplayIndexes {
  #logPath: (runId: string) => string
  #keep: number
  /** Most recently used last. */
  #kept = new Map<string, RunLogIndex>()

  constructor(logPath: (runId: string) => string, keep = KEPT_INDEXES) {
    this.#logPath = logPath
    this.#keep = keep
  }

  /** The run's index, brought up to date with its log (a stat when nothing was appended). */
  async open(runId: string, onProgress?: (progress: FoldProgress) => void): Promise<{ index: RunLogIndex; summary: IndexSummary }> {
    const index = this.#kept.get(runId) ?? new RunLogIndex(this.#logPath(runId))
    this.#kept.delete(runId)
    this.#kept.set(runId, index)
    while (this.#kept.size > this.#keep) this.#kept.delete(this.#kept.keys().next().value as string)
    try {
      return { index, summary: await index.update(onProgress) }
    } catch (error) {
      if (this.#kept.get(runId) === index) this.#kept.delete(runId)
      throw error
    }
  }

  get size(): number {
    return this.#kept.size
  }
}
