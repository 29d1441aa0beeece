// Appends records to the run log and folds each one into the live state at once, so the state
// the UI shows is, record for record, the state a replay of the file rebuilds.
import type { RunRecord, RunRecordBody } from '../../common/run/records'
import { LiveFold } from '../../common/run/reduce'
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

  /** Appends without waiting for the disk: written at the end of this turn of the event loop, synced with the next durable record. */
  record(body: RunRecordBody): RunRecord {
    const record = this.#writer.append(body)
    const state = this.#fold.apply(record)
    for (const listener of this.#listeners) listener(record, state)
    return record
  }

  /** Appends and resolves once the record is on disk: the run acts on it only then. */
  async recordDurable(body: RunRecordBody): Promise<RunRecord> {
    const record = this.record(body)
    await this.#writer.sync()
    return record
  }

  sync(): Promise<void> {
    return this.#writer.sync()
  }

  close(): Promise<void> {
    return this.#writer.close()
  }
}
