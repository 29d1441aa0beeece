// The host's one copy of the state of runs no driver holds: each log is folded once (however many
// views ask for it at the same time) and kept while it is among the last few opened, so opening a
// run, answering its approval and resuming it read its log once. The fold is the one that builds
// the run's replay index, so opening the Replay tab next reads nothing again. Runs a driver holds are the
// driver's: folded live as they record. What is kept is the display state (see display-state.ts):
// what views, approvals and resumes read, without the terminal tails of older calls.
import type { FoldProgress, LogHealth } from '../store/run-log-fold'
import type { ReplayIndexes } from './replay-indexes'
import { displayState } from '../../common/run/display-state'
import type { RunState } from '../../common/run/state'

export interface StoredRun {
  state: RunState
  health: LogHealth
}

/** Folded runs kept besides the ones drivers hold: enough for flipping between a few runs. */
export const KEPT_RUNS = 4

export class RunStore {
  #indexes: ReplayIndexes
  #keep: number
  /** Most recently used last. */
  #kept = new Map<string, StoredRun>()
  #loading = new Map<string, { done: Promise<StoredRun>; listeners: Set<(progress: FoldProgress) => void> }>()

  constructor(indexes: ReplayIndexes, keep = KEPT_RUNS) {
    this.#indexes = indexes
    this.#keep = keep
  }

  /** The run's state from its log, folded once; `onProgress` hears how far a fold in progress got. */
  async load(runId: string, onProgress?: (progress: FoldProgress) => void): Promise<StoredRun> {
    const kept = this.#kept.get(runId)
    if (kept) {
      this.#touch(runId, kept)
      return kept
    }
    let loading = this.#loading.get(runId)
    if (!loading) {
      const listeners = new Set<(progress: FoldProgress) => void>()
      const done = this.#indexes
        .open(runId, (progress) => {
          for (const listener of listeners) listener(progress)
        })
        .then(async ({ index, summary }): Promise<StoredRun> => ({ state: await index.state(), health: summary.health }))
        .then(
          (stored) => {
            this.#loading.delete(runId)
            this.#touch(runId, stored)
            return stored
          },
          (error: unknown) => {
            this.#loading.delete(runId)
            throw error
          }
        )
      loading = { done, listeners }
      this.#loading.set(runId, loading)
    }
    if (onProgress) loading.listeners.add(onProgress)
    try {
      return await loading.done
    } finally {
      if (onProgress) loading.listeners.delete(onProgress)
    }
  }

  /** A driver let go of the run: its last state is the log's, without a fold. */
  keep(runId: string, state: RunState): void {
    this.#touch(runId, { state: displayState(state), health: { problems: [], problemCount: 0, tornTailBytes: 0 } })
  }

  /** A driver took the run up: its state lives there now. */
  release(runId: string): void {
    this.#kept.delete(runId)
  }

  /** How many folded runs are kept, for checking the bound. */
  get size(): number {
    return this.#kept.size
  }

  #touch(runId: string, stored: StoredRun): void {
    this.#kept.delete(runId)
    this.#kept.set(runId, stored)
    while (this.#kept.size > this.#keep) {
      const oldest = this.#kept.keys().next().value as string
      this.#kept.delete(oldest)
    }
  }
}
