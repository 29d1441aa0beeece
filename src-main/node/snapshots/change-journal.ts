// Which workspace paths may have changed since the last checkpoint, from inotify (one watch per
// kept directory, through fs.watch, which shares one inotify queue per process). Events come
// in order, so after a barrier file written in a watched folder of the data dir is seen, every
// event of the call that just ended has been seen too.
//
// inotify can lose events: when its queue overflows, when a watch cannot be added (the
// per-user limit), when a watch errors. libuv drops the overflow notice itself, so overflow is
// bounded instead: an overflow means the queue once held `max_queued_events` unread events, all
// of which are then delivered; so whenever this window and the one before it saw fewer than
// half that many, nothing was lost. Past that, or on any other doubt, the journal says so and
// the checkpoint rescans everything.
import { mkdirSync, rmdirSync, watch, type FSWatcher } from 'node:fs'
import { mkdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { isWithin, joinPath } from './entry'
import { isGitMetadata } from './scan'
import { bytesOfName, nameFromBytes } from './workspace-dir'

const BARRIER_TIMEOUT_MS = 10_000
/**
 * After a barrier was lost (a flood of events overflowed the kernel's queue), the next ones wait
 * this long: a process that keeps flooding would otherwise add the full wait to every checkpoint.
 * A late barrier costs only a full read, which a lost one needs anyway.
 */
const BARRIER_TIMEOUT_AFTER_LOSS_MS = 1_000
/**
 * Paths remembered between two checkpoints at most: past this, the checkpoint reads the whole
 * workspace anyway, and a process that makes names without end cannot grow the host's memory.
 */
export const MAX_JOURNAL_PATHS = 50_000

export interface JournalTake {
  /** Paths named by events (a file, link or directory that may have changed, appeared or gone). */
  paths: Set<string>
  /** Directories to read whole (their events said nothing more precise). */
  subtrees: Set<string>
  /** Why everything must be rescanned, or null. */
  doubt: string | null
}

async function queueLimit(): Promise<number> {
  const text = await readFile('/proc/sys/fs/inotify/max_queued_events', 'utf8').catch(() => '16384')
  return Number.parseInt(text.trim(), 10) || 16384
}

export class ChangeJournal {
  readonly root: string
  #barrierDir: string
  #watchers = new Map<string, FSWatcher>()
  #barrierWatcher: FSWatcher | null = null
  #barrierWaiters = new Map<string, () => void>()
  #barrierCount = 0
  #barrierLost = false
  #paths = new Set<string>()
  #subtrees = new Set<string>()
  #doubt: string | null = null
  /** A reason every checkpoint must rescan (no inotify here): stays for the journal's life. */
  #unavailable: string | null = null
  #events = 0
  #previousEvents = 0
  #limit = 16384

  private constructor(root: string, barrierDir: string) {
    this.root = root
    this.#barrierDir = barrierDir
  }

  static async open(root: string, barrierDir: string): Promise<ChangeJournal> {
    const journal = new ChangeJournal(root, barrierDir)
    journal.#limit = await queueLimit()
    await rm(barrierDir, { recursive: true, force: true })
    await mkdir(barrierDir, { recursive: true })
    try {
      journal.#barrierWatcher = watch(barrierDir, { persistent: false }, (_event, name) => {
        if (typeof name === 'string') journal.#barrierWaiters.get(name)?.()
      })
    } catch (error) {
      journal.#unavailable = `file events are unavailable here (${(error as Error).message})`
    }
    return journal
  }

  get unavailable(): string | null {
    return this.#unavailable
  }

  get watchedDirectories(): number {
    return this.#watchers.size
  }

  /** Starts watching `dir` (workspace-relative); call it before listing the directory. */
  watchDirectory(dir: string): void {
    if (this.#unavailable !== null || this.#watchers.has(dir)) return
    try {
      // Names as bytes: a name that is not UTF-8 must still name its file (see workspace-dir).
      const path = dir === '' ? this.root : Buffer.concat([Buffer.from(`${this.root}/`), bytesOfName(dir)])
      const watcher = watch(path, { persistent: false, encoding: 'buffer' }, (event, name) => this.#onEvent(dir, event, name === null ? null : nameFromBytes(name)))
      watcher.on('error', () => {
        this.#forget(dir)
        this.#doubtWith(`the watch on ${dir || 'the workspace'} failed`)
      })
      this.#watchers.set(dir, watcher)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') return
      this.#unavailable =
        code === 'ENOSPC'
          ? 'the system limit on watched folders is reached (fs.inotify.max_user_watches)'
          : `a folder cannot be watched (${(error as Error).message})`
      this.close()
    }
  }

  /** Waits until every event that happened before this call has been seen. */
  async settle(): Promise<void> {
    if (this.#unavailable !== null || this.#barrierWatcher === null) return
    const name = `barrier-${++this.#barrierCount}`
    const path = join(this.#barrierDir, name)
    // The barrier is a folder made and removed with one system call each, on this thread: it sits
    // in Tether's own data dir (never the workspace; hidden from the sandbox), where that takes
    // microseconds, while a round trip through the thread pool cost more than the rest of a
    // checkpoint before a call. Its event cannot arrive before this turn of the event loop ends.
    mkdirSync(path)
    const seen = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.#barrierLost ? BARRIER_TIMEOUT_AFTER_LOSS_MS : BARRIER_TIMEOUT_MS)
      this.#barrierWaiters.set(name, () => {
        clearTimeout(timer)
        resolve(true)
      })
    })
    const arrived = await seen
    this.#barrierLost = !arrived
    this.#barrierWaiters.delete(name)
    if (!arrived) this.#doubtWith('file events did not arrive in time')
    try {
      rmdirSync(path)
    } catch (error) {
      // Closing the journal may have removed the folder of barriers already.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
  }

  /** What changed since the last take, and starts a new window. */
  take(): JournalTake {
    if (this.#unavailable === null && this.#events + this.#previousEvents >= this.#limit / 2) {
      this.#doubtWith(`${this.#events + this.#previousEvents} file events in a row may have overflowed the kernel's queue`)
    }
    const taken: JournalTake = { paths: this.#paths, subtrees: this.#subtrees, doubt: this.#unavailable ?? this.#doubt }
    this.#paths = new Set()
    this.#subtrees = new Set()
    this.#doubt = null
    this.#previousEvents = this.#events
    this.#events = 0
    return taken
  }

  /** Stops watching `dir` and everything below it (it is gone or was replaced). */
  unwatchBelow(dir: string): void {
    for (const watched of [...this.#watchers.keys()]) if (isWithin(watched, dir)) this.#forget(watched)
  }

  close(): void {
    for (const watcher of this.#watchers.values()) watcher.close()
    this.#watchers.clear()
    this.#barrierWatcher?.close()
    this.#barrierWatcher = null
    void rm(this.#barrierDir, { recursive: true, force: true }).catch(() => undefined)
  }

  #forget(dir: string): void {
    this.#watchers.get(dir)?.close()
    this.#watchers.delete(dir)
  }

  #doubtWith(reason: string): void {
    this.#doubt ??= reason
  }

  #onEvent(dir: string, _event: string, name: string | null): void {
    this.#events += 1
    if (name === null || name === '') {
      this.#subtrees.add(dir)
      return
    }
    if (isGitMetadata(name)) return
    const path = joinPath(dir, name)
    if (this.#paths.size >= MAX_JOURNAL_PATHS) {
      this.#doubtWith(`more than ${MAX_JOURNAL_PATHS} paths changed`)
      return
    }
    this.#paths.add(path)
    // A changed .gitignore may bring paths into view that were never watched.
    if (name === '.gitignore') this.#subtrees.add(dir)
  }
}
