// Reads workspace entries (read-entry.ts) in a worker thread, a folder's worth at a time. On the
// main thread each of a file's steps (look, open, check, read, close) was a trip through the
// thread pool, and those trips, not the disk, made up most of a large repository's first read.
// The worker does them synchronously, hashes what it read, and hands the contents over without a
// copy. It starts with the first read and lets the process exit whenever nothing waits on it; a
// worker that dies fails what waited on it, and the next read starts another. So does a worker
// that makes no progress: a read stuck in a file system that no longer answers (a network or FUSE
// mount) cannot be stopped, and would otherwise hold every workspace's reads behind it.
import { Worker } from 'node:worker_threads'
import { assertNever } from '../../common/run/records'
import { resolveEntryPoint } from '../tools/entry-point'
import { parentOf, type SnapshotEntry } from './entry'
import type { Failure, ListedKind, ReaderReply, ReaderRequest, ReaderResult } from './entry-reader-protocol'
import { DEFAULT_LIMITS, type ReadLimits, type ReadResult } from './read-entry'
import { UnsafePathError, WorkspaceDir } from './workspace-dir'

/** Paths per request: a folder of many thousand files goes over in parts. */
const REQUEST_ITEMS = 256
/** Bytes of content one request holds at most, beyond its last file. */
const REQUEST_BYTES = 4 * 1024 * 1024

interface Waiting {
  /** Kept to be sent again to another worker, should the one it was sent to go silent before it. */
  request: ReaderRequest
  resolve: (reply: ReaderReply) => void
  reject: (error: Error) => void
}

/** A request without its id, which the thread gives it. */
type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never
type ReplyTo<K extends ReaderRequest['kind']> = Extract<ReaderReply, { kind: K }>

/** How long the worker may go without progress (a file read, a name listed) while requests wait on it. */
const SILENCE_LIMIT_MS = 60_000

export interface ReaderThreadOptions {
  /** The worker's script (the built one by default). */
  entry?: string
  silenceLimitMs?: number
}

/** Workers let go while stuck in a read, which the process must not wait for as it exits (its exit code is then lost). */
const stuckWorkers = new Set<Worker>()
process.on('exit', () => {
  if (stuckWorkers.size > 0) process.kill(process.pid, 'SIGKILL')
})

/** The worker and the requests waiting on it. */
export class EntryReaderThread {
  readonly #entry: string | null
  readonly #silenceLimitMs: number
  #worker: Worker | null = null
  #online = false
  #waiting = new Map<number, Waiting>()
  #nextId = 1
  #silence: NodeJS.Timeout | null = null
  /** Items the current worker has finished, counted by the worker itself: progress within a long request. */
  #progress = new Int32Array(new SharedArrayBuffer(4))
  #progressSeen = 0

  constructor(options: ReaderThreadOptions = {}) {
    this.#entry = options.entry ?? null
    this.#silenceLimitMs = options.silenceLimitMs ?? SILENCE_LIMIT_MS
  }

  request<R extends Unnumbered<ReaderRequest>>(request: R): Promise<ReplyTo<R['kind']>> {
    const worker = this.#started()
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      const numbered = { ...request, id } as ReaderRequest
      // Posted first: a request that cannot be sent leaves nothing waiting, and holds no reference.
      worker.postMessage(numbered)
      this.#waiting.set(id, { request: numbered, resolve: resolve as (reply: ReaderReply) => void, reject })
      if (this.#waiting.size === 1) {
        worker.ref()
        this.#listen(worker)
      }
    })
  }

  #started(): Worker {
    if (this.#worker !== null) return this.#worker
    this.#progress = new Int32Array(new SharedArrayBuffer(4))
    const worker = new Worker(this.#entry ?? resolveEntryPoint('entry-reader'), { workerData: { progress: this.#progress.buffer } })
    worker.unref()
    this.#online = false
    // Its start-up is not silence: a busy machine may take seconds to start a thread.
    worker.once('online', () => {
      if (this.#worker !== worker) return
      this.#online = true
      this.#listen(worker)
    })
    worker.on('message', (reply: ReaderReply) => {
      const waiting = this.#waiting.get(reply.id)
      this.#waiting.delete(reply.id)
      if (this.#worker === worker) this.#listen(worker)
      if (this.#waiting.size === 0) worker.unref()
      if (waiting?.request.kind === reply.kind) waiting.resolve(reply)
      else waiting?.reject(new Error(`the workspace reader answered a ${waiting.request.kind} request with a ${reply.kind} reply`))
    })
    let why: string | null = null
    worker.on('error', (error) => {
      why ??= error.message
    })
    // A reply that cannot be read would leave its request waiting for good: the worker is let go.
    worker.on('messageerror', (error) => {
      why ??= `a reply could not be read (${error.message})`
      void worker.terminate()
    })
    // What waits fails only once the worker is gone: until then it may still use the folders the
    // requests name, which their callers keep open until the requests settle.
    worker.on('exit', (code) => this.#failed(worker, why ?? `it exited with code ${code}`))
    this.#worker = worker
    return worker
  }

  /** Restarts the wait for the worker's progress while requests wait on it; stops it when none do. */
  #listen(worker: Worker): void {
    if (this.#silence !== null) clearTimeout(this.#silence)
    this.#silence = null
    if (!this.#online || this.#waiting.size === 0) return
    this.#progressSeen = Atomics.load(this.#progress, 0)
    this.#silence = setTimeout(() => {
      // A slow mount that still gives an item now and then is not stuck.
      if (Atomics.load(this.#progress, 0) !== this.#progressSeen) this.#listen(worker)
      else this.#silent(worker)
    }, this.#silenceLimitMs)
    this.#silence.unref()
  }

  /**
   * The worker made no progress on waiting requests for too long. It works through them one at a
   * time, in order, so only the oldest can be the one stuck: it fails, and the others, which the
   * worker has not begun, go to a new worker. The silent one is stopped and let go.
   */
  #silent(worker: Worker): void {
    if (this.#worker !== worker) return
    this.#worker = null
    this.#silence = null
    // Asked to stop first, then let go (in that order, or the asking holds the process open): no
    // more of its code runs once its read returns, so it reads nothing through folder numbers its
    // callers have closed and reused since, and nothing of the requests it had not begun. Node
    // waits for every thread as the process exits, so one still stuck then would hold the process
    // for good: the process is killed instead.
    void worker.terminate()
    worker.unref()
    stuckWorkers.add(worker)
    worker.once('exit', () => stuckWorkers.delete(worker))
    const [stuck, ...notBegun] = [...this.#waiting.entries()].sort(([a], [b]) => a - b)
    this.#waiting = new Map(notBegun)
    if (stuck) {
      stuck[1].reject(new Error(`the workspace reader made no progress for ${Math.round(this.#silenceLimitMs / 1000)} s: a read may be stuck in a file system that stopped answering (a network or FUSE mount); later reads go to a new reader`))
    }
    if (notBegun.length === 0) return
    const next = this.#started()
    for (const [, waiting] of notBegun) next.postMessage(waiting.request)
    next.ref()
  }

  #failed(worker: Worker, why: string): void {
    if (this.#worker !== worker) return
    this.#worker = null
    this.#rejectWaiting(`the workspace reader stopped: ${why}`)
  }

  #rejectWaiting(message: string): void {
    const waiting = [...this.#waiting.values()]
    this.#waiting.clear()
    if (this.#silence !== null) clearTimeout(this.#silence)
    this.#silence = null
    for (const { reject } of waiting) reject(new Error(message))
  }
}

const thread = new EntryReaderThread()

export interface EntryRead {
  name: string
  /** The entry known for this name: returned as it is, unread, when its fingerprint still matches. */
  known?: SnapshotEntry
}

function resultOf(result: ReaderResult, known: SnapshotEntry | undefined): ReadResult | null {
  switch (result.found) {
    case 'nothing':
      return null
    case 'unchanged':
      if (known === undefined) throw new Error('the workspace reader found unchanged an entry it was not given')
      return { entry: known, content: null }
    case 'entry': {
      const content = result.content === null ? null : Buffer.from(result.content.buffer, result.content.byteOffset, result.content.byteLength)
      return { entry: result.entry, content }
    }
    case 'failed':
      throw errorOf(result)
    case 'later':
      throw new Error('the workspace reader left a read undone')
    default:
      return assertNever(result, 'entry reader result')
  }
}

/**
 * The entries of names in an open folder as they are now, in order, a request's worth at a time
 * (what one request read is meant to be kept before the next is asked for): null where Tether
 * keeps nothing. The folder must stay open until this ends. Throws the first unexpected I/O error.
 */
export async function* readEntriesIn(folder: WorkspaceDir, reads: readonly EntryRead[], limits: ReadLimits = DEFAULT_LIMITS): AsyncGenerator<(ReadResult | null)[]> {
  for (let done = 0; done < reads.length; ) {
    const part = reads.slice(done, done + REQUEST_ITEMS)
    const items = part.map(({ name, known }) => ({ path: folder.at(name), known: known === undefined ? null : { kind: known.kind, stat: known.stat } }))
    const reply = await thread.request({ kind: 'read', items, maxFileBytes: limits.maxFileBytes, byteCap: REQUEST_BYTES })
    const results: (ReadResult | null)[] = []
    for (const [index, answer] of reply.results.entries()) {
      if (answer.found === 'later') break
      results.push(resultOf(answer, part[index]?.known))
    }
    done += results.length
    yield results
  }
}

/** `readEntriesIn`, every entry at once. */
export async function readEntriesAt(folder: WorkspaceDir, reads: readonly EntryRead[], limits: ReadLimits = DEFAULT_LIMITS): Promise<(ReadResult | null)[]> {
  const results: (ReadResult | null)[] = []
  for await (const part of readEntriesIn(folder, reads, limits)) results.push(...part)
  return results
}

function errorOf(failure: Failure): Error {
  return Object.assign(new Error(failure.message), failure.code === null ? {} : { code: failure.code })
}

/** The names in an open folder, each with what it is; null when the folder is gone or cannot be listed. */
export async function listFolder(folder: WorkspaceDir): Promise<{ name: string; kind: ListedKind }[] | null> {
  const reply = await thread.request({ kind: 'list', path: folder.self })
  if (reply.failure === null) return reply.listing
  const gone = reply.failure.code === 'ENOENT' || reply.failure.code === 'ENOTDIR' || reply.failure.code === 'EACCES'
  if (gone && reply.failure.whileListing !== true) return null
  throw errorOf(reply.failure)
}

export async function readEntryAt(folder: WorkspaceDir, name: string, limits: ReadLimits = DEFAULT_LIMITS, known?: SnapshotEntry): Promise<ReadResult | null> {
  const [read] = await readEntriesAt(folder, [{ name, known }], limits)
  return read ?? null
}

/**
 * The entry of a workspace-relative `path` below `root`: null when nothing Tether keeps is there,
 * a folder on the way included (a link in place of a folder means the path is not in the workspace).
 */
export async function readEntry(root: string, path: string, limits: ReadLimits = DEFAULT_LIMITS, known?: SnapshotEntry): Promise<ReadResult | null> {
  let folder: WorkspaceDir | null
  try {
    folder = await WorkspaceDir.open(root, parentOf(path))
  } catch (error) {
    if (error instanceof UnsafePathError) return null
    throw error
  }
  if (folder === null) return null
  try {
    return await readEntryAt(folder, path.slice(path.lastIndexOf('/') + 1), limits, known)
  } finally {
    await folder.close()
  }
}
