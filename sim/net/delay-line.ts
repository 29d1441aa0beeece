// One direction of an emulated link: every message is delivered a fixed one-way latency after it
// was handed over, in order. Changing the latency mid-stream never lets a message overtake an
// earlier one (a real network does not reorder a TCP stream either).
import type { Scheduler } from './scheduler'

export class DelayLine {
  private lastDueAt = Number.NEGATIVE_INFINITY
  private pending = 0

  constructor(
    private readonly scheduler: Scheduler,
    private readonly latencyMs: () => number
  ) {}

  /** Delivers `deliver` after the one-way latency; synchronously when there is none and nothing queued. */
  push(deliver: () => void): void {
    const latency = this.latencyMs()
    if (latency <= 0 && this.pending === 0) {
      deliver()
      return
    }
    const dueAt = Math.max(this.scheduler.now() + latency, this.lastDueAt)
    this.lastDueAt = dueAt
    this.pending++
    this.scheduler.at(dueAt, () => {
      this.pending--
      deliver()
    })
  }
}
