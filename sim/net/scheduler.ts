// A timer that fires on time. setTimeout alone is coarse (whole milliseconds, and libuv's cached
// loop time lets it fire up to ~1 ms early or late), which would make an emulated 5 ms link look
// like 4-6 ms. We sleep with setTimeout until shortly before the deadline and cover the last
// stretch with setImmediate, so an action never runs early and is rarely more than a few tenths
// of a millisecond late.
import { performance } from 'node:perf_hooks'

interface Entry {
  at: number
  order: number
  action: () => void
  cancelled: boolean
}

/** How close to a deadline we stop sleeping and start yielding turn by turn. */
const SPIN_WINDOW_MS = 1.5
const ACTIONS_PER_PUMP = 64

export type Cancel = () => void

export class Scheduler {
  private readonly heap: Entry[] = []
  private order = 0
  private timer: NodeJS.Timeout | null = null
  private immediate: NodeJS.Immediate | null = null
  private timerDueAt = Number.POSITIVE_INFINITY
  private stopped = false

  now(): number {
    return performance.now()
  }

  /** Runs `action` at `at` (a `now()` timestamp); entries with equal times run in insertion order. */
  at(at: number, action: () => void): Cancel {
    const entry: Entry = { at, order: this.order++, action, cancelled: false }
    if (this.stopped) return () => {}
    this.push(entry)
    this.arm()
    return () => {
      entry.cancelled = true
    }
  }

  after(delayMs: number, action: () => void): Cancel {
    return this.at(this.now() + Math.max(0, delayMs), action)
  }

  /** Resolves at `at`; resolves at once when `at` has passed. */
  until(at: number): Promise<void> {
    if (at <= this.now()) return Promise.resolve()
    return new Promise((resolve) => this.at(at, resolve))
  }

  sleep(delayMs: number): Promise<void> {
    return this.until(this.now() + delayMs)
  }

  /** Drops every pending action; later `at` calls are ignored. */
  stop(): void {
    this.stopped = true
    this.heap.length = 0
    this.disarm()
  }

  private arm(): void {
    const head = this.heap[0]
    if (!head) return
    if (this.immediate) return
    const wait = head.at - this.now()
    if (wait <= SPIN_WINDOW_MS) {
      if (this.timer) this.disarmTimer()
      this.immediate = setImmediate(this.pump)
      return
    }
    // Re-arm only when the new head is earlier than the pending wake-up.
    if (this.timer && this.timerDueAt <= head.at) return
    this.disarmTimer()
    this.timerDueAt = head.at
    this.timer = setTimeout(this.pump, Math.floor(wait - SPIN_WINDOW_MS))
  }

  private readonly pump = (): void => {
    this.timer = null
    this.immediate = null
    this.timerDueAt = Number.POSITIVE_INFINITY
    let head = this.heap[0]
    let ran = 0
    while (head && head.at <= this.now()) {
      // After a stall many actions are due at once; let sockets be read between batches.
      if (ran++ === ACTIONS_PER_PUMP) {
        this.immediate = setImmediate(this.pump)
        return
      }
      this.pop()
      if (!head.cancelled) head.action()
      head = this.heap[0]
    }
    this.arm()
  }

  private disarm(): void {
    this.disarmTimer()
    if (this.immediate) clearImmediate(this.immediate)
    this.immediate = null
  }

  private disarmTimer(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.timerDueAt = Number.POSITIVE_INFINITY
  }

  private before(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order)
  }

  private push(entry: Entry): void {
    const heap = this.heap
    heap.push(entry)
    let index = heap.length - 1
    while (index > 0) {
      const parent = (index - 1) >> 1
      const parentEntry = heap[parent] as Entry
      if (!this.before(entry, parentEntry)) break
      heap[index] = parentEntry
      index = parent
    }
    heap[index] = entry
  }

  private pop(): void {
    const heap = this.heap
    const last = heap.pop()
    if (!last || heap.length === 0) return
    let index = 0
    for (;;) {
      const left = 2 * index + 1
      const right = left + 1
      let smallest = last
      let target = index
      const leftEntry = heap[left]
      const rightEntry = heap[right]
      if (leftEntry && this.before(leftEntry, smallest)) {
        smallest = leftEntry
        target = left
      }
      if (rightEntry && this.before(rightEntry, smallest)) {
        smallest = rightEntry
        target = right
      }
      if (target === index) break
      heap[index] = smallest
      index = target
    }
    heap[index] = last
  }
}
