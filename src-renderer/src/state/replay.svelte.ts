// The replay viewer's model. The host indexes the run's log and answers for a page of records or
// the state after any one of them, so a log of any size opens with a progress bar and the page
// holds only the pages on screen and one state. Scrubbing asks for one state at a time: while an
// answer is on its way, only the latest position asked for is asked next.
import type { ReplayView, RunLogHealth } from '../../../src-main/common/api/contract'
import { REPLAY_PAGE_MAX } from '../../../src-main/common/api/contract'
import type { RunRecord } from '../../../src-main/common/run/records'
import { initialRunState, type RunState } from '../../../src-main/common/run/state'
import type { HostEvent } from '../../../src-main/common/api/contract'
import type { TetherClient } from '../api/client'

/** Records per page asked for. */
export const PAGE_RECORDS = 200
/** Pages kept: several screens of the record list, whatever the log's size. */
const KEPT_PAGES = 24

if (PAGE_RECORDS > REPLAY_PAGE_MAX) throw new Error('a replay page is larger than the host serves')

export type ReplayPhase = 'indexing' | 'ready' | 'failed'

/** What of the log could not be read, one line each. */
export function problemLines(log: RunLogHealth): string[] {
  const lines = log.problems.map((problem) => `line ${problem.line}: ${problem.reason}`)
  if (log.problemCount > log.problems.length) lines.push(`and ${log.problemCount - log.problems.length} more damaged lines`)
  if (log.tornTailBytes > 0) lines.push(`the last ${log.tornTailBytes} bytes are an unfinished line`)
  return lines
}

export class Replay {
  readonly runId: string
  phase = $state<ReplayPhase>('indexing')
  /** How far the host got indexing the log. */
  progress = $state.raw<{ loadedBytes: number; totalBytes: number } | null>(null)
  count = $state(0)
  problems = $state.raw<string[]>([])
  error = $state<string | null>(null)
  /** Index of the record the view stands at; -1 before the first. */
  position = $state(-1)
  /** The state shown, and the position it is the state at (it lags `position` while one is fetched). */
  state = $state.raw<RunState>(initialRunState)
  shownPosition = $state(-1)
  /** Transcript entries before those the shown state holds (a replay position sends its latest ones). */
  leftOut = $state(0)
  /** Bumped when a page arrives, so rows reading records render again. */
  pagesVersion = $state(0)
  #client: TetherClient
  /** Pages by number, most recently used last. */
  #pages = new Map<number, RunRecord[]>()
  #pending = new Set<number>()
  #stateInFlight = false
  #stopListening: () => void
  #closed = false

  constructor(client: TetherClient, runId: string) {
    this.#client = client
    this.runId = runId
    this.#stopListening = client.onEvent((event) => this.#receive(event))
  }

  async open(): Promise<void> {
    try {
      const view = await this.#client.call('openReplay', { runId: this.runId })
      if (this.#closed) return
      this.#use(view)
      this.phase = 'ready'
      this.seek(view.records - 1)
    } catch (error) {
      this.error = (error as Error).message
      this.phase = 'failed'
    }
  }

  /** Takes what the log gained since it was opened (a live run). */
  async refresh(): Promise<void> {
    if (this.phase !== 'ready') return
    const atEnd = this.position === this.count - 1
    try {
      const view = await this.#client.call('openReplay', { runId: this.runId })
      if (this.#closed || view.records === this.count) return
      // The last page may have been partial.
      this.#pages.delete(Math.floor((this.count - 1) / PAGE_RECORDS))
      this.#use(view)
      if (atEnd) this.seek(view.records - 1)
    } catch {
      // The next refresh tries again; what is shown stays right for the records it shows.
    }
  }

  close(): void {
    this.#closed = true
    this.#stopListening()
  }

  seek(position: number): void {
    this.position = Math.max(-1, Math.min(this.count - 1, Math.round(position)))
    if (this.position >= 0) this.ensureRecords(this.position, this.position + 1)
    void this.#fetchState()
  }

  step(delta: number): void {
    this.seek(this.position + delta)
  }

  /** Record `index`, if its page is here; a reader hears when it comes. */
  recordAt(index: number): RunRecord | null {
    void this.pagesVersion
    return this.#pages.get(Math.floor(index / PAGE_RECORDS))?.[index % PAGE_RECORDS] ?? null
  }

  /** Asks for the pages holding records [from, to) that are not here yet. */
  ensureRecords(from: number, to: number): void {
    const last = Math.min(to, this.count) - 1
    for (let page = Math.floor(Math.max(0, from) / PAGE_RECORDS); page <= Math.floor(last / PAGE_RECORDS) && last >= 0; page++) {
      const kept = this.#pages.get(page)
      if (kept) {
        this.#pages.delete(page)
        this.#pages.set(page, kept)
      } else if (!this.#pending.has(page)) void this.#fetchPage(page)
    }
  }

  #use(view: ReplayView): void {
    this.count = view.records
    this.problems = problemLines(view.log)
    this.progress = null
  }

  async #fetchPage(page: number): Promise<void> {
    this.#pending.add(page)
    try {
      const from = page * PAGE_RECORDS
      const { records } = await this.#client.call('getReplayRecords', { runId: this.runId, from, to: Math.min(from + PAGE_RECORDS, this.count) })
      if (this.#closed) return
      this.#pages.set(page, records)
      while (this.#pages.size > KEPT_PAGES) this.#pages.delete(this.#pages.keys().next().value as number)
      this.pagesVersion += 1
    } catch (error) {
      if (!this.#closed) this.error = (error as Error).message
    } finally {
      this.#pending.delete(page)
    }
  }

  async #fetchState(): Promise<void> {
    if (this.#stateInFlight) return
    this.#stateInFlight = true
    try {
      while (!this.#closed && this.shownPosition !== this.position) {
        const position = this.position
        const shown = position < 0 ? { state: initialRunState, leftOut: 0 } : await this.#client.call('getReplayState', { runId: this.runId, position })
        if (this.#closed) return
        this.state = shown.state
        this.leftOut = shown.leftOut
        this.shownPosition = position
      }
    } catch (error) {
      if (!this.#closed) this.error = (error as Error).message
    } finally {
      this.#stateInFlight = false
    }
  }

  #receive(event: HostEvent): void {
    if (event.type === 'replay.indexing' && event.runId === this.runId && this.phase === 'indexing') {
      this.progress = { loadedBytes: event.loadedBytes, totalBytes: event.totalBytes }
    }
  }
}
