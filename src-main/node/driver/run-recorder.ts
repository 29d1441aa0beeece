// Appends records to the run log and folds each one into the live state at once, so the state
// the UI shows is, record for record, the state a replay of the file rebuilds.
import type { RunRecord, RunRecordBody } from '../../common/run/records'
import { LiveFold } from '../../common/run/reduce'
import { syncPointOf, type SyncFacts } from '../../common/run/sync-point'
import type { RunState } from '../../common/run/state'
import type { RunLogWriter } from '../store/run-log-writer'

/** `state` is the live state: read it during the call, never keep it. */
export type RecordListener = (record: RunRecord, state: RunState) => void

export class RunRecorder {
  #writer: RunLogWriter
  #fold: LiveFold
  #listeners = new Set<RecordListener>()

  constructor(writer: RunLogWriter, state: RunState) {
    this.#writer = writer
    this.#fold = new LiveFold(state)
  }

  /** The live state, for reading now (it changes in place as records arrive): `snapshot()` to keep one. */
  get state(): RunState {
    return this.#fold.current
  }

  /** The state as of now, never to change: for handing out. */
  snapshot(): RunState {
    return this.#fold.snapshot()
  }

  get path(): string {
    return this.#writer.path
  }

  subscribe(listener: RecordListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /**
   * Appends a record the run need not wait for (its sync point is `next` or `begin`, see
   * sync-point.ts) and returns it at once; a `wait` record must go through `recordDurable`.
   */
  record(body: RunRecordBody, facts: SyncFacts = {}): RunRecord {
    if (syncPointOf(body, facts) === 'wait') throw new Error(`a ${body.type} record is synced before the run goes on: use recordDurable`)
    return this.#apply(this.#writer.write(body, facts).record)
  }

  /** Appends and resolves once the record reached its sync point: for a `wait` record, once it is on disk. */
  async recordDurable(body: RunRecordBody, facts: SyncFacts = {}): Promise<RunRecord> {
    const { record, reached } = this.#writer.write(body, facts)
    this.#apply(record)
    await reached
    return record
  }

  #apply(record: RunRecord): RunRecord {
    const state = this.#fold.apply(record)
    for (const listener of this.#listeners) listener(record, state)
    return record
  }

  sync(): Promise<void> {
    return this.#writer.sync()
  }

  close(): Promise<void> {
    return this.#writer.close()
  }
}
