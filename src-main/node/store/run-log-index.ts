// What lets a replay open a log of any size and go anywhere in it: built by one scan of the file,
// then kept up to date by scanning only what was appended since. It holds the byte offset of
// every OFFSET_STRIDE-th record (a page of records is read from the nearest one) and the folded
// state every CHECKPOINT_INTERVAL records (the state after any record is the checkpoint before it
// plus a fold of fewer than that many records). One fold runs over the whole log, changing its
// collections in place; a StateJournal writes down what it changed since the last checkpoint, so
// each checkpoint costs what changed, not what the state holds, and the index is built in time
// linear in the log. The checkpoints are held in a StateHistory as those changes, within a budget
// of memory; a log that changes more than the budget holds gets fewer checkpoints (the interval
// doubles), never more memory. Getting a state back (a position asked for, the state for a view)
// copies the fold's collections a slice at a time, and the scan waits while it does.
// The terminal tails of older finished calls, which no later record changes, are dropped at each
// checkpoint (see display-state.ts), or they alone would outweigh the rest of a long run's state:
// the fold keeps the replay's REPLAY_TERMINALS, so each terminal tail is held by at most the few
// checkpoints it is among the latest in, and gives a view the DISPLAYED_TERMINALS it shows.
import { open, stat } from 'node:fs/promises'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { LiveFold } from '../../common/run/reduce'
import { REPLAY_TERMINALS, REPLAY_WINDOW_ENTRIES, replayWindow, type ReplayWindow } from '../../common/run/replay-window'
import { initialRunState, type RunState } from '../../common/run/state'
import type { RunRecord } from '../../common/run/records'
import { OldTerminals } from './old-terminals'
import { healthyLog, noteProblem, type FoldProgress, type LogHealth } from './run-log-fold'
import { LOG_START, scanRunLog, type ScanPosition } from './run-log-scan'
import { ENTRIES_PER_SLICE, Slices, StateHistory, collectionsOf, copiedState, finish, finishNow, type RecordField } from './state-history'
import { StateJournal } from './state-journal'

/** Records between two kept byte offsets: the most a page read skips over. */
export const OFFSET_STRIDE = 64
/** Records between two checkpoints (a multiple of OFFSET_STRIDE): the most a position folds. */
export const CHECKPOINT_INTERVAL = 8192

export interface IndexOptions {
  interval?: number
  /** The checkpoints' memory budget (see StateHistory). */
  historyBytes?: number
  /** Entries a copy of the state takes between two turns of the event loop (see StateHistory). */
  sliceEntries?: number
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
  #sliceEntries: number
  /** State k: the state after the first k * interval records. */
  #checkpoints!: StateHistory
  #fold!: LiveFold
  /** What the fold changed since the last checkpoint. */
  #journal!: StateJournal
  #oldTerminals = new OldTerminals(REPLAY_TERMINALS)
  /** offsets[k]: where record k * OFFSET_STRIDE starts. */
  #offsets: number[] = []
  #count = 0
  #end: ScanPosition = LOG_START
  #health: LogHealth = healthyLog()
  /** The fold of the position asked for last, to step on from; null while it folds. */
  #recent: { position: number; fold: LiveFold } | null = null
  #updating: Promise<void> | null = null
  #listeners = new Set<(progress: FoldProgress) => void>()
  /** Copies of the fold's state under way: the scan takes no record until they are done. */
  #copying = new Set<Promise<unknown>>()

  constructor(path: string, options: IndexOptions = {}) {
    this.path = path
    this.#firstInterval = options.interval ?? CHECKPOINT_INTERVAL
    this.#historyBytes = options.historyBytes
    this.#sliceEntries = options.sliceEntries ?? ENTRIES_PER_SLICE
    if (this.#firstInterval % OFFSET_STRIDE !== 0) throw new Error(`the checkpoint interval must be a multiple of ${OFFSET_STRIDE}`)
    this.#reset()
  }

  get summary(): IndexSummary {
    return {
      records: this.#count,
      bytes: this.#end.offset + this.#health.tornTailBytes,
      health: { ...this.#health, problems: [...this.#health.problems] }
    }
  }

  /** The state after every record indexed (the log's fold), as a display of the run shows it (see display-state.ts). */
  state(): Promise<RunState> {
    const state = this.#fold.seal()
    const copy = finish(copiedState(state, new Slices(this.#sliceEntries), (field) => this.#journal.keysOf(state, field)), () => nextTurn())
    // Finished before the scan may take records again: it reads what the fold changed since the last checkpoint.
    return this.#whileCopying(copy.then((copied) => this.#oldTerminals.displayed(copied, this.#journal.written('toolCalls'))))
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

  /**
   * What a replay shows after records 0..position (position -1: before the first): the state's
   * window of its latest `keep` transcript entries (see replay-window.ts).
   */
  async windowAt(position: number, keep = REPLAY_WINDOW_ENTRIES): Promise<ReplayWindow> {
    if (position < -1 || position >= this.#count) throw new RangeError(`position ${position} is outside 0..${this.#count - 1}`)
    const target = position + 1
    const interval = this.interval
    const checkpoint = Math.floor(target / interval) * interval
    // Taken before anything is awaited: two requests never fold into the same state.
    const recent = this.#recent
    let fold: LiveFold
    let from: number
    if (recent && recent.position + 1 <= target && recent.position + 1 > checkpoint) {
      this.#recent = null
      ;[fold, from] = [recent.fold, recent.position + 1]
    } else {
      // A checkpoint the update under way has not reached yet: fold from the one before.
      const k = Math.min(checkpoint / interval, this.#checkpoints.length - 1)
      from = k * interval
      const base = await this.#restore(k)
      fold = new LiveFold(base, { owned: [base, ...collectionsOf(base)] })
    }
    if (from < target) {
      // Read from the kept offset at or before `from`, skipping what the fold already holds.
      let index = Math.floor(from / OFFSET_STRIDE) * OFFSET_STRIDE
      await this.#read(index / OFFSET_STRIDE, (record) => {
        if (index >= from) fold.apply(record)
        index += 1
        return index >= target
      })
    }
    const window = replayWindow(fold.current, keep)
    // What the window shares with the fold never changes: the fold copies a view before changing it.
    fold.seal()
    this.#recent = { position, fold }
    // A window of the whole state shares its collections with the fold: a copy (of a small state).
    return window.leftOut > 0 ? window : { ...window, state: finishNow(copiedState(window.state)) }
  }

  /** Checkpoint k, with collections of its own. */
  #restore(k: number): Promise<RunState> {
    // Views the fold made since the last checkpoint are shared from here on: it copies them before changing them.
    const newest = this.#fold.seal()
    const keysOf = (field: RecordField): readonly string[] => this.#journal.keysOf(newest, field)
    const restore = this.#checkpoints.restore(k, newest, this.#journal.stepBack(newest), new Slices(this.#sliceEntries), keysOf)
    return this.#whileCopying(finish(restore, () => nextTurn()))
  }

  #whileCopying<T>(copy: Promise<T>): Promise<T> {
    this.#copying.add(copy)
    const done = (): void => void this.#copying.delete(copy)
    copy.then(done, done)
    return copy
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
        between: () => this.#checkpoints.thin(() => nextTurn()),
        ready: () => (this.#copying.size === 0 ? null : Promise.allSettled([...this.#copying]))
      })
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
    this.#oldTerminals.drop(this.#fold, this.#journal.written('toolCalls'))
    const state = this.#fold.seal()
    this.#checkpoints.push(this.#journal.stepBack(state))
    this.#journal.begin(state)
  }

  #reset(): void {
    this.#checkpoints = new StateHistory(this.#historyBytes)
    this.#journal = new StateJournal(initialRunState)
    this.#fold = new LiveFold(initialRunState, { observer: this.#journal })
    this.#oldTerminals.reset()
    this.#offsets = []
    this.#count = 0
    this.#end = LOG_START
    this.#health = healthyLog()
    this.#recent = null
  }
}
