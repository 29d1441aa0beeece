// The single writer of one run log. Appends are stamped (seq, ts), batched into one write per
// turn of the event loop (group commit; sooner when a sync is asked for), and made durable at each record's sync point
// (`syncPointOf`, common/run/sync-point.ts) by `write`; `appendDurable` and `sync()` resolve only
// after fdatasync.
//
// The batch is written with a synchronous write(2): it only copies into the page cache, costs
// microseconds, and leaves nothing in flight, so once a turn of the event loop ends its records
// survive a crash of the process, and a sync never queues behind another batch's write. Only
// fdatasync, which waits for the disk, runs on the thread pool; batches written while one is in
// flight get their own.
import { writeSync } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { RunRecord, RunRecordBody } from '../../common/run/records'
import { assertNever, RUN_LOG_VERSION } from '../../common/run/records'
import { syncPointOf, type SyncFacts, type SyncPoint } from '../../common/run/sync-point'
import { encodeRecord } from './record-codec'
import { readRunLog, type LogProblem } from './run-log-reader'
import { syncDirectory } from './sync-directory'

export interface OpenedRunLog {
  writer: RunLogWriter
  /** Records already in the file, for folding the state the run continues from. */
  records: RunRecord[]
  problems: LogProblem[]
  /** Bytes of a torn last line that were cut off on open. */
  truncatedBytes: number
}

export type Clock = () => number

interface Waiter {
  resolve: () => void
  reject: (error: Error) => void
}

export class RunLogWriter {
  readonly path: string
  #file: FileHandle
  #nextSeq: number
  #clock: Clock
  #pending: string[] = []
  #syncRequested = false
  #waiters: Waiter[] = []
  #syncing = new Set<Promise<void>>()
  #scheduled = false
  #syncFlushQueued = false
  #failure: Error | null = null
  #closed = false

  private constructor(path: string, file: FileHandle, nextSeq: number, clock: Clock) {
    this.path = path
    this.#file = file
    this.#nextSeq = nextSeq
    this.#clock = clock
  }

  /** Creates a new log; fails if the file exists. */
  static async create(path: string, clock: Clock = Date.now): Promise<RunLogWriter> {
    const file = await open(path, 'wx')
    await syncDirectory(dirname(path))
    return new RunLogWriter(path, file, 0, clock)
  }

  /** Opens an existing log for appending, cutting a torn last line and recording the repair. */
  static async openExisting(path: string, clock: Clock = Date.now): Promise<OpenedRunLog> {
    const contents = await readRunLog(path)
    const file = await open(path, 'r+')
    let truncatedBytes = 0
    if (contents.tornTail) {
      truncatedBytes = contents.tornTail.bytes
      await file.truncate(contents.validLength)
      await file.datasync()
    }
    await file.close()
    const appendable = await open(path, 'a')
    const last = contents.records[contents.records.length - 1]
    const writer = new RunLogWriter(path, appendable, last ? last.seq + 1 : 0, clock)
    if (truncatedBytes > 0) {
      await writer.write({
        type: 'log.repaired',
        truncatedBytes,
        reason: 'the last line was torn by an interrupted write and was cut off'
      }).reached
    }
    return { writer, records: contents.records, problems: contents.problems, truncatedBytes }
  }

  get nextSeq(): number {
    return this.#nextSeq
  }

  /**
   * Stamps and queues a record and returns it at once, so the caller can fold it without waiting.
   * It is written at the end of this turn of the event loop and is on disk once a later `sync()`
   * resolves; the caller decides where that wait is worth it (`appendDurable`).
   */
  append(body: RunRecordBody): RunRecord {
    if (this.#closed) throw new Error(`run log ${this.path} is closed`)
    if (this.#failure) throw this.#failure
    const record = { v: RUN_LOG_VERSION, seq: this.#nextSeq, ts: this.#clock(), ...body } as RunRecord
    this.#nextSeq += 1
    this.#pending.push(encodeRecord(record))
    this.#schedule()
    return record
  }

  /**
   * Appends and syncs where the record's sync point says: `reached` resolves once the caller may
   * act on it (on disk for a `wait` record; at once otherwise, a `begin` record's sync under way).
   */
  write(body: RunRecordBody, facts: SyncFacts = {}): { record: RunRecord; point: SyncPoint; reached: Promise<void> } {
    const record = this.append(body)
    const point = syncPointOf(body, facts)
    switch (point) {
      case 'wait':
        return { record, point, reached: this.sync() }
      case 'begin':
        // A failed sync is not lost: the log refuses every later append, so the run stops at its next record.
        this.sync().catch(() => {})
        return { record, point, reached: Promise.resolve() }
      case 'next':
        return { record, point, reached: Promise.resolve() }
      default:
        return assertNever(point, 'sync point')
    }
  }

  async appendDurable(body: RunRecordBody): Promise<RunRecord> {
    const record = this.append(body)
    await this.sync()
    return record
  }

  /**
   * Resolves once every record appended so far is written and synced to disk. The batch is
   * written as soon as the code that asked is done (a microtask), not at the end of the turn of
   * the event loop: someone waits for this sync, and records appended together (the tool.started
   * of one turn) still share it.
   */
  sync(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure)
    this.#syncRequested = true
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }))
    if (!this.#syncFlushQueued) {
      this.#syncFlushQueued = true
      queueMicrotask(() => {
        this.#syncFlushQueued = false
        this.#flush()
      })
    }
    return done
  }

  /** Syncs and closes; the file is closed even when the last sync fails, and the failure is thrown. */
  async close(): Promise<void> {
    if (this.#closed) return
    try {
      await this.sync()
    } finally {
      this.#closed = true
      await Promise.allSettled(this.#syncing)
      await this.#file.close()
    }
  }

  #schedule(): void {
    if (this.#scheduled) return
    this.#scheduled = true
    setImmediate(() => {
      this.#scheduled = false
      this.#flush()
    })
  }

  #flush(): void {
    const lines = this.#pending
    const waiters = this.#waiters
    const sync = this.#syncRequested
    this.#pending = []
    this.#waiters = []
    this.#syncRequested = false
    if (this.#failure) {
      // After a failed write the file may end in a partial line: writing more would glue records to it.
      for (const waiter of waiters) waiter.reject(this.#failure)
      return
    }
    try {
      if (lines.length > 0) this.#writeAll(Buffer.from(lines.join(''), 'utf8'))
    } catch (error) {
      this.#fail(error as Error, waiters)
      return
    }
    // Waiters come only with a sync request.
    if (!sync) return
    const syncing: Promise<void> = this.#file.datasync().then(
      () => {
        // An earlier sync that failed may have lost pages this one cannot vouch for.
        if (this.#failure) for (const waiter of waiters) waiter.reject(this.#failure)
        else for (const waiter of waiters) waiter.resolve()
      },
      (error: Error) => this.#fail(error, waiters)
    )
    this.#syncing.add(syncing)
    void syncing.finally(() => this.#syncing.delete(syncing))
  }

  /**
   * A write may be short (a file-size limit, a full disk); the rest is written again, so the next
   * attempt fails loudly instead of a record being acknowledged that is only half on disk.
   */
  #writeAll(bytes: Buffer): void {
    let offset = 0
    while (offset < bytes.length) offset += writeSync(this.#file.fd, bytes, offset)
  }

  #fail(error: Error, waiters: Waiter[]): void {
    this.#failure ??= new Error(`cannot write run log ${this.path}: ${error.message}`)
    for (const waiter of waiters) waiter.reject(this.#failure)
  }
}
