// The replay viewer's model: every record of a run, and the state after any one of them. States
// are folded from checkpoints kept every CHECKPOINT_EVERY records, so scrubbing anywhere costs at
// most that many reducer steps.
import type { RunRecord } from '../../../src-main/common/run/records'
import { foldRecords, LiveFold } from '../../../src-main/common/run/reduce'
import { initialRunState, type RunState } from '../../../src-main/common/run/state'
import type { TetherClient } from '../api/client'

const CHECKPOINT_EVERY = 256

export class Replay {
  readonly runId: string
  records = $state.raw<RunRecord[]>([])
  problems = $state.raw<string[]>([])
  /** Index of the record the view stands at; -1 before the first. */
  position = $state(-1)
  loading = $state(true)
  error = $state<string | null>(null)
  #checkpoints: RunState[] = []
  state = $derived.by(() => this.#stateAt(this.position))

  constructor(runId: string) {
    this.runId = runId
  }

  async load(client: TetherClient): Promise<void> {
    this.loading = true
    try {
      const view = await client.call('getRunRecords', { runId: this.runId })
      this.#checkpoints = checkpointsOf(view.records)
      this.records = view.records
      this.problems = view.problems
      this.position = view.records.length - 1
    } catch (error) {
      this.error = (error as Error).message
    } finally {
      this.loading = false
    }
  }

  seek(position: number): void {
    this.position = Math.max(-1, Math.min(this.records.length - 1, Math.round(position)))
  }

  step(delta: number): void {
    this.seek(this.position + delta)
  }

  #stateAt(position: number): RunState {
    if (position < 0) return initialRunState
    const base = Math.floor((position + 1) / CHECKPOINT_EVERY)
    return foldRecords(this.records.slice(base * CHECKPOINT_EVERY, position + 1), this.#checkpoints[base] ?? initialRunState)
  }
}

/** checkpoints[k] is the state after the first k * CHECKPOINT_EVERY records. */
export function checkpointsOf(records: RunRecord[]): RunState[] {
  const checkpoints: RunState[] = [initialRunState]
  const fold = new LiveFold()
  records.forEach((record, index) => {
    fold.apply(record)
    if ((index + 1) % CHECKPOINT_EVERY === 0) checkpoints.push(fold.snapshot())
  })
  return checkpoints
}
