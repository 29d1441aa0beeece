// One open run in the renderer: the host's snapshot, then its records folded with the same pure
// reducer the host and the log use, so what is shown is exactly what the log says. Records are
// folded once per animation frame within a time budget, so a burst (a reconnect, a fast stream on
// a busy machine) spreads over frames instead of freezing one. The fold is a LiveFold and each
// frame gets a `frame()` of it, so a record costs the same at the end of a long run as at its start.
import type { HostEvent, RunLogHealth, RunSnapshot, RunTotals } from '../../../src-main/common/api/contract'
import type { RunRecord } from '../../../src-main/common/run/records'
import { assertNever } from '../../../src-main/common/run/records'
import { LiveFold } from '../../../src-main/common/run/reduce'
import { initialRunState, type RunState } from '../../../src-main/common/run/state'
import type { TetherClient } from '../api/client'

/** Reducer time per frame; the rest of the frame is left for layout and paint. */
const FOLD_BUDGET_MS = 6

export class LiveRun {
  readonly runId: string
  /** The fold's latest frame: replaced once per frame; its views never change (see LiveFold.frame). */
  state = $state.raw<RunState>(initialRunState)
  #fold = new LiveFold()
  running = $state(false)
  loaded = $state(false)
  /** How far the host got folding a long log while the run opens; null once open (or never long). */
  loading = $state.raw<{ loadedBytes: number; totalBytes: number } | null>(null)
  /** Transcript entries of a very long run the host did not send (Replay shows them). */
  leftOut = $state(0)
  /** The whole run's figures when the host sent a window of it. */
  totals = $state.raw<RunTotals | null>(null)
  /** What of the log could not be read, as the host reported it when the run opened. */
  log = $state.raw<RunLogHealth | null>(null)
  /** Why the run loop stopped without an outcome, or why the run could not be opened. */
  fault = $state<string | null>(null)
  #client: TetherClient
  /** Records that arrived while a snapshot was on its way; applied after it. */
  #early: RunRecord[] | null = null
  /** Records received and not folded yet. */
  #queue: RunRecord[] = []
  #drainScheduled = false
  #closed = false

  constructor(client: TetherClient, runId: string) {
    this.#client = client
    this.runId = runId
  }

  async open(): Promise<void> {
    this.#early = []
    try {
      const snapshot = await this.#client.call('subscribeRun', { runId: this.runId })
      if (this.#closed) return
      this.#useSnapshot(snapshot)
    } catch (error) {
      this.fault = (error as Error).message
      this.#early = null
    }
  }

  close(): void {
    this.#closed = true
    void this.#client.call('unsubscribeRun', { runId: this.runId }).catch(() => undefined)
  }

  /** Host events for this run. */
  receive(event: HostEvent): void {
    if (this.#closed) return
    switch (event.type) {
      case 'run.records':
        if (this.#early) this.#early.push(...event.records)
        else this.#enqueue(event.records)
        return
      case 'run.snapshot':
        this.#useSnapshot(event.snapshot)
        return
      case 'run.activity':
        this.running = event.running
        this.fault = event.error
        return
      case 'run.loading':
        if (!this.loaded) this.loading = { loadedBytes: event.loadedBytes, totalBytes: event.totalBytes }
        return
      case 'runs.changed':
      case 'notification.clicked':
      case 'replay.indexing':
        return
      default:
        assertNever(event, 'host event')
    }
  }

  #useSnapshot(snapshot: RunSnapshot): void {
    const early = this.#early ?? []
    this.#early = null
    this.#fold = new LiveFold(snapshot.state)
    this.state = this.#fold.frame()
    this.running = snapshot.running
    this.leftOut = snapshot.leftOut
    this.totals = snapshot.totals
    this.log = snapshot.log
    this.loading = null
    this.loaded = true
    if (early.length > 0) this.#enqueue(early)
  }

  #enqueue(records: RunRecord[]): void {
    for (const record of records) this.#queue.push(record)
    if (this.#drainScheduled) return
    this.#drainScheduled = true
    // Hidden pages get no frames; there is nothing to keep smooth then.
    if (document.hidden) setTimeout(() => this.#drain(Number.POSITIVE_INFINITY), 0)
    else requestAnimationFrame(() => this.#drain(FOLD_BUDGET_MS))
  }

  #drain(budgetMs: number): void {
    this.#drainScheduled = false
    if (this.#closed) return
    const deadline = performance.now() + budgetMs
    const fold = this.#fold
    const lastSeqBefore = fold.current.lastSeq
    let index = 0
    while (index < this.#queue.length) {
      const record = this.#queue[index++]!
      const lastSeq = fold.current.lastSeq
      if (record.seq <= lastSeq) continue
      if (record.seq !== lastSeq + 1) {
        // A record went missing (e.g. a reconnect): the host's snapshot is the way back.
        this.#queue = []
        this.state = fold.frame()
        void this.open()
        return
      }
      fold.apply(record)
      if ((index & 31) === 0 && performance.now() > deadline) break
    }
    this.#queue = index >= this.#queue.length ? [] : this.#queue.slice(index)
    if (fold.current.lastSeq !== lastSeqBefore) this.state = fold.frame()
    if (this.#queue.length > 0) this.#enqueue([])
  }
}
