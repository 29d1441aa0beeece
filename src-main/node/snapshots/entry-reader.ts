// Reads workspace entries (read-entry.ts) in a worker thread, a folder's worth at a time. On the
// main thread each of a file's steps (look, open, check, read, close) was a trip through the
// thread pool, and those trips, not the disk, made up most of a large repository's first read.
// The worker does them synchronously, hashes what it read, and hands the contents over without a
// copy. It starts with the first read and lets the process exit whenever nothing waits on it; a
// worker that dies fails what waited on it, and the next read starts another.
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
  kind: ReaderRequest['kind']
  resolve: (reply: ReaderReply) => void
  reject: (error: Error) => void
}

/** A request without its id, which the thread gives it. */
type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never
type ReplyTo<K extends ReaderRequest['kind']> = Extract<ReaderReply, { kind: K }>

/** The worker and the requests waiting on it; `entry` is the worker's script (the built one by default). */
export class EntryReaderThread {
  readonly #entry: string | null
  #worker: Worker | null = null
  #waiting = new Map<number, Waiting>()
  #nextId = 1

  constructor(entry: string | null = null) {
    this.#entry = entry
  }

  request<R extends Unnumbered<ReaderRequest>>(request: R): Promise<ReplyTo<R['kind']>> {
    const worker = this.#started()
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      // Posted first: a request that cannot be sent leaves nothing waiting, and holds no reference.
      worker.postMessage({ ...request, id })
      this.#waiting.set(id, { kind: request.kind, resolve: resolve as (reply: ReaderReply) => void, reject })
      if (this.#waiting.size === 1) worker.ref()
    })
  }

  #started(): Worker {
    if (this.#worker !== null) return this.#worker
    const worker = new Worker(this.#entry ?? resolveEntryPoint('entry-reader'))
    worker.unref()
    worker.on('message', (reply: ReaderReply) => {
      const waiting = this.#waiting.get(reply.id)
      this.#waiting.delete(reply.id)
      if (this.#waiting.size === 0) worker.unref()
      if (waiting?.kind === reply.kind) waiting.resolve(reply)
      else waiting?.reject(new Error(`the workspace reader answered a ${waiting.kind} request with a ${reply.kind} reply`))
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

  #failed(worker: Worker, why: string): void {
    if (this.#worker !== worker) return
    this.#worker = null
    const waiting = [...this.#waiting.values()]
    this.#waiting.clear()
    for (const { reject } of waiting) reject(new Error(`the workspace reader stopped: ${why}`))
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
