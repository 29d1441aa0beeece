// Coalesces the records of one run for one renderer: at most one message per frame (~60 per
// second), each carrying exactly the records appended since the last one. A congested connection
// makes batches larger, not more numerous.
import type { RunRecord } from '../../common/run/records'

export const MIN_BATCH_INTERVAL_MS = 1000 / 60

export interface BatcherOptions {
  deliver: (records: RunRecord[]) => void
  /** True while the connection cannot take more right now; delivery waits another frame. */
  congested?: () => boolean
  now?: () => number
  intervalMs?: number
}

export class RecordBatcher {
  #queue: RunRecord[] = []
  #timer: NodeJS.Timeout | null = null
  #lastDelivery = Number.NEGATIVE_INFINITY
  #options: Required<BatcherOptions>
  #closed = false

  constructor(options: BatcherOptions) {
    this.#options = { congested: () => false, now: () => performance.now(), intervalMs: MIN_BATCH_INTERVAL_MS, ...options }
  }

  push(record: RunRecord): void {
    if (this.#closed) return
    this.#queue.push(record)
    this.#schedule()
  }

  /** Delivers what is queued now (before a snapshot or on close), regardless of the interval. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    if (this.#queue.length === 0) return
    const records = this.#queue
    this.#queue = []
    this.#lastDelivery = this.#options.now()
    this.#options.deliver(records)
  }

  /** Drops what is queued: the receiver gets a fresh snapshot instead. */
  discard(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    this.#queue = []
  }

  close(): void {
    this.discard()
    this.#closed = true
  }

  #schedule(): void {
    if (this.#timer) return
    // Timers fire on whole milliseconds: round up so the interval is never undercut.
    const wait = Math.max(0, Math.ceil(this.#lastDelivery + this.#options.intervalMs - this.#options.now()))
    this.#timer = setTimeout(() => this.#onTimer(), wait)
  }

  #onTimer(): void {
    this.#timer = null
    if (this.#options.congested()) {
      this.#timer = setTimeout(() => this.#onTimer(), Math.ceil(this.#options.intervalMs))
      return
    }
    this.flush()
  }
}
