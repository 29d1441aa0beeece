// Appends records to the run log and folds each one into the live state at once, so the state
// the UI shows is, record for record, the state a replay of the file rebuilds.
import type { RunRecord, RunRecordBody } from '../../common/run/records'
import { reduce } from '../../common/run/reduce'
import type { RunState } from '../../common/run/state'
import type { RunLogWriter } from '../store/run-log-writer'

export type RecordListener = (record: RunRecord, state: RunState) => void

export class RunRecorder {
  #writer: RunLogWriter
  #state: RunState
  #listeners = new Set<RecordListener>()

  constructor(writer: RunLogWriter, state: RunState) {
    this.#writer = writer
    this.#state = state
  }

  get state(): RunState {
    return this.#state
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
    this.#state = reduce(this.#state, record)
    for (const listener of this.#listeners) listener(record, this.#state)
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
