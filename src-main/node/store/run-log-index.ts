// What lets a replay open a log of any size and go anywhere in it: built by one scan of the file,
// then kept up to date by scanning only what was appended since. It holds the byte offset of
// every OFFSET_STRIDE-th record (a page of records is read from the nearest one) and the folded
// state every CHECKPOINT_INTERVAL records (the state after any record is the checkpoint before it
// plus a fold of fewer than that many records). The checkpoints are held in a StateHistory: the
// newest whole, the others as what changed between them, within a budget of memory; a log that
// changes more than the budget holds gets fewer checkpoints (the interval doubles), never more memory.
// States are display states (display-state.ts): the terminal tails of older finished calls, which
// no later record changes, are dropped at each checkpoint, or they alone would outweigh the rest of
// a long run's state. The fold keeps the live view's DISPLAYED_TERMINALS (the run store shows its
// state); checkpoints and positions keep the replay's REPLAY_TERMINALS, so each terminal tail is
// held by at most the few checkpoints it is among the latest in.
import { open, stat } from 'node:fs/promises'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { displayState } from '../../common/run/display-state'
import { LiveFold } from '../../common/run/reduce'
import { REPLAY_TERMINALS } from '../../common/run/replay-window'
import { initialRunState, type RunState } from '../../common/run/state'
import type { RunRecord } from '../../common/run/records'
import { healthyLog, noteProblem, type FoldProgress, type LogHealth } from './run-log-fold'
import { LOG_START, scanRunLog, type ScanPosition } from './run-log-scan'
import { StateHistory } from './state-history'

/** Records between two kept byte offsets: the most a page read skips over. */
export const OFFSET_STRIDE = 64
/** Records between two checkpoints (a multiple of OFFSET_STRIDE): the most a position folds. */
export const CHECKPOINT_INTERVAL = 8192
/** States computed for recent requests, kept whole so that stepping on from them is a fold of a few records. */
const RECENT_STATES = 2

export interface IndexOptions {
  interval?: number
  /** The checkpoints' memory budget (see StateHistory). */
  historyBytes?: number
}

export interface IndexSummary {
  records: number
  /** Bytes of complete lines indexed, plus the torn tail. */
  bytes: number
  health: LogHealth
}

export class RunLogIndex {
  readonly path: string
  #firstInterval: number
  #historyBytes: number | undefined
  /** State k: the state after the first k * interval records. */
  #checkpoints: StateHistory
  /** Checkpoints folded but not yet compared with the one before (see #storeCheckpoints). */
  #unstored: RunState[] = []
  /** offsets[k]: where record k * OFFSET_STRIDE starts. */
  #offsets: number[] = []
  #count = 0
  #end: ScanPosition = LOG_START
  #health: LogHealth = healthyLog()
  #fold = new LiveFold()
  /** Most recently used last: [position, state after records 0..position]. */
  #recent: [number, RunState][] = []
  #updating: Promise<void> | null = null
  #listeners = new Set<(progress: FoldProgress) => void>()

  constructor(path: string, options: IndexOptions = {}) {
    this.path = path
    this.#firstInterval = options.interval ?? CHECKPOINT_INTERVAL
    this.#historyBytes = options.historyBytes
    this.#checkpoints = new StateHistory(initialRunState, this.#historyBytes)
    if (this.#firstInterval % OFFSET_STRIDE !== 0) throw new Error(`the checkpoint interval must be a multiple of ${OFFSET_STRIDE}`)
  }

  get summary(): IndexSummary {
    return {
      records: this.#count,
      bytes: this.#end.offset + this.#health.tornTailBytes,
      health: { ...this.#health, problems: [...this.#health.problems] }
    }
  }

  /** The display state after every record indexed: the log's fold. */
  state(): RunState {
    return displayState(this.#fold.snapshot())
  }

  /** Checkpoints held now. */
  get checkpoints(): number {
    return this.#checkpoints.length
  }

  /** About how many bytes the older checkpoints hold on to (see StateHistory). */
  get heldBytes(): number {
    return this.#checkpoints.heldBytes
  }

  /** Records between two checkpoints: the most a position folds. */
  get interval(): number {
    return this.#firstInterval * this.#checkpoints.spacing
  }

  /**
   * Indexes what was appended since the last update (the whole log the first time). Concurrent
   * callers share one scan; `onProgress` hears how far it got.
   */
  async update(onProgress?: (progress: FoldProgress) => void): Promise<IndexSummary> {
    if (onProgress) this.#listeners.add(onProgress)
    try {
      this.#updating ??= this.#scanAppended().finally(() => (this.#updating = null))
      await this.#updating
      return this.summary
    } finally {
      if (onProgress) this.#listeners.delete(onProgress)
    }
  }

  /** Records [from, to), clamped to the records indexed. */
  async records(from: number, to: number): Promise<RunRecord[]> {
    const end = Math.min(to, this.#count)
    if (from >= end) return []
    const stride = Math.floor(from / OFFSET_STRIDE)
    const records: RunRecord[] = []
    let index = stride * OFFSET_STRIDE
    await this.#read(stride, (record) => {
      if (index >= from) records.push(record)
      index += 1
      return index >= end
    })
    return records
  }

  /** The state after records 0..position (position -1: before the first), with the replay's terminals. */
  async stateAt(position: number): Promise<RunState> {
    if (position < -1 || position >= this.#count) throw new RangeError(`position ${position} is outside 0..${this.#count - 1}`)
    const target = position + 1
    const interval = this.interval
    let from = Math.floor(target / interval) * interval
    const recent = this.#recent.filter(([at]) => at + 1 <= target && at + 1 > from).sort(([a], [b]) => b - a)[0]
    let base: RunState
    if (recent) [from, base] = [recent[0] + 1, recent[1]]
    else {
      // A checkpoint the update under way has not put in the history yet: fold from the one before.
      const k = Math.min(from / interval, this.#checkpoints.length - 1)
      from = k * interval
      base = await this.#checkpoints.atPaused(k, () => nextTurn())
    }
    if (from === target) return this.#remember(position, base)
    const fold = new LiveFold(base)
    // Read from the kept offset at or before `from`, skipping what `base` already holds.
    let index = Math.floor(from / OFFSET_STRIDE) * OFFSET_STRIDE
    await this.#read(index / OFFSET_STRIDE, (record) => {
      if (index >= from) fold.apply(record)
      index += 1
      return index >= target
    })
    return this.#remember(position, displayState(fold.snapshot(), REPLAY_TERMINALS))
  }

  #remember(position: number, state: RunState): RunState {
    this.#recent = this.#recent.filter(([at]) => at !== position)
    this.#recent.push([position, state])
    if (this.#recent.length > RECENT_STATES) this.#recent.shift()
    return state
  }

  /** Reads records from the `stride`-th kept offset on until `visit` returns true. */
  async #read(stride: number, visit: (record: RunRecord) => boolean): Promise<void> {
    const file = await open(this.path, 'r')
    try {
      await scanRunLog(file, { offset: this.#offsets[stride]!, line: 0, lastSeq: null }, { record: visit })
    } finally {
      await file.close()
    }
  }

  async #scanAppended(): Promise<void> {
    const size = (await stat(this.path)).size
    // Shorter than what was indexed: the log was repaired or replaced; start again.
    if (size < this.#end.offset) this.#reset()
    if (size === this.#end.offset + this.#health.tornTailBytes && this.#count > 0) return
    const file = await open(this.path, 'r')
    try {
      const end = await scanRunLog(file, this.#end, {
        record: (record, offset) => this.#add(record, offset),
        problem: (line, reason) => noteProblem(this.#health, line, reason),
        progress: (loadedBytes, totalBytes) => {
          for (const listener of this.#listeners) listener({ loadedBytes, totalBytes })
        },
        between: () => this.#storeCheckpoints()
      })
      await this.#storeCheckpoints()
      this.#end = end.position
      this.#health.tornTailBytes = end.tornTailBytes
    } finally {
      await file.close()
    }
  }

  #add(record: RunRecord, offset: number): void {
    if (this.#count % OFFSET_STRIDE === 0) this.#offsets.push(offset)
    this.#fold.apply(record)
    this.#count += 1
    if (this.#count % this.#firstInterval !== 0) return
    const state = displayState(this.#fold.snapshot())
    this.#fold = new LiveFold(state)
    // Compared with the checkpoint before it between chunks, where the event loop can be given back.
    this.#unstored.push(displayState(state, REPLAY_TERMINALS))
  }

  async #storeCheckpoints(): Promise<void> {
    const history = this.#checkpoints
    for (let state = this.#unstored.shift(); state; state = this.#unstored.shift()) await history.pushPaused(state, () => nextTurn())
  }

  #reset(): void {
    this.#unstored = []
    this.#checkpoints = new StateHistory(initialRunState, this.#historyBytes)
    this.#offsets = []
    this.#count = 0
    this.#end = LOG_START
    this.#health = healthyLog()
    this.#fold = new LiveFold()
    this.#recent = []
  }
}
