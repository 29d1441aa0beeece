// Reads one workspace path the way hostile content must be read: reached folder by folder without
// following a link (workspace-dir), lstat first, never open a FIFO, socket or device, open without
// following links and without blocking, check that what was opened is the regular file that was
// looked at, read at most its size, and never read a sparse file (a 1 TB hole costs nothing to
// make and everything to read).
//
// The reads are synchronous: they run in the entry reader's worker thread (entry-reader.ts), never
// on the main thread, where a trip through the thread pool for each of a file's five steps cost
// more than the steps themselves.
import { createHash } from 'node:crypto'
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync, type BigIntStats } from 'node:fs'
import type { SnapshotEntry } from './entry'
import { nameFromBytes } from './workspace-dir'

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY

export interface ReadLimits {
  /** Files larger than this are recorded without their content, with a note saying so. */
  maxFileBytes: number
}

export const DEFAULT_LIMITS: ReadLimits = { maxFileBytes: 32 * 1024 * 1024 }

export interface ReadResult {
  entry: SnapshotEntry
  /** The content to keep for a file entry whose hash is set. */
  content: Buffer | null
}

/** What the reader is told of an entry it may find unchanged. */
export type KnownStat = Pick<SnapshotEntry, 'kind' | 'stat'>

/** What one read found: nothing kept there, the known entry unchanged, or a fresh entry. */
export type SyncRead = { found: 'nothing' } | { found: 'unchanged' } | ({ found: 'entry' } & ReadResult)

export function fingerprint(stats: BigIntStats): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`
}

/**
 * How close to the read a change must be for its fingerprint not to be trusted. The kernel stamps
 * ctime from a clock that ticks every few milliseconds, so a rewrite in the same tick as the read
 * (same size, mtime set back, the inode reused) leaves the fingerprint as it was: like git's
 * "racily clean" entries, a path changed this recently is read again the next time it is looked at.
 */
const RACY_WINDOW_NS = 2_000_000_000n
const RACY = ':racy'

function settled(result: ReadResult, startedNs: bigint): SyncRead {
  if (result.entry.stat.endsWith(RACY)) return { found: 'entry', ...result }
  const ctimeNs = BigInt(result.entry.stat.split(':')[3] ?? '0')
  const entry = ctimeNs + RACY_WINDOW_NS > startedNs ? { ...result.entry, stat: `${result.entry.stat}${RACY}` } : result.entry
  return { found: 'entry', entry, content: result.content }
}

export function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/** A file with far fewer blocks than its size is mostly holes. */
function isSparse(stats: BigIntStats): boolean {
  return stats.size > 1024n * 1024n && stats.blocks * 512n < stats.size / 2n
}

function readRegular(path: string | Buffer, stats: BigIntStats, limits: ReadLimits): ReadResult {
  const mode = Number(stats.mode & 0o7777n)
  const size = Number(stats.size)
  const skipped = (note: string): ReadResult => ({ entry: { kind: 'file', mode, size, hash: null, note, stat: fingerprint(stats) }, content: null })
  if (size > limits.maxFileBytes) return skipped(`too big to keep (${megabytes(size)}; the limit is ${megabytes(limits.maxFileBytes)})`)
  if (isSparse(stats)) return skipped('a sparse file: not read')
  const fd = openSync(path, OPEN_FLAGS)
  try {
    const opened = fstatSync(fd, { bigint: true })
    if (!opened.isFile() || opened.ino !== stats.ino || opened.dev !== stats.dev) throw Object.assign(new Error('changed while read'), { code: 'ECHANGED' })
    const content = Buffer.alloc(size)
    let filled = 0
    while (filled < size) {
      const bytesRead = readSync(fd, content, filled, size - filled, filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    const data = filled === size ? content : content.subarray(0, filled)
    const hash = createHash('sha256').update(data).digest('hex')
    // The fingerprint taken before reading: a write that raced the read moves the file's ctime
    // past it, so the next look at this path reads it again.
    return { entry: { kind: 'file', mode, size: data.length, hash, note: null, stat: fingerprint(opened) }, content: data }
  } finally {
    closeSync(fd)
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code
}

/**
 * The entry at `path` (a name inside an open folder, see WorkspaceDir.at) as it is now: nothing
 * when Tether keeps nothing there (missing, or a FIFO, socket or device), unchanged when its lstat
 * fingerprint still matches `known`. Throws only on unexpected I/O errors.
 */
export function readEntrySync(path: string | Buffer, limits: ReadLimits, known: KnownStat | null): SyncRead {
  const startedNs = BigInt(Date.now()) * 1_000_000n
  for (let attempt = 0; ; attempt += 1) {
    let stats: BigIntStats | undefined
    try {
      stats = lstatSync(path, { bigint: true, throwIfNoEntry: false })
    } catch (error) {
      if (errorCode(error) === 'ENOTDIR') return { found: 'nothing' }
      throw error
    }
    if (stats === undefined) return { found: 'nothing' }
    if (known !== null && known.stat === fingerprint(stats) && (known.kind === 'link' ? stats.isSymbolicLink() : known.kind === 'dir' ? stats.isDirectory() : stats.isFile())) {
      return { found: 'unchanged' }
    }
    try {
      if (stats.isSymbolicLink()) return settled({ entry: { kind: 'link', target: nameFromBytes(readlinkSync(path, { encoding: 'buffer' })), stat: fingerprint(stats) }, content: null }, startedNs)
      if (stats.isDirectory()) return settled({ entry: { kind: 'dir', mode: Number(stats.mode & 0o7777n), stat: fingerprint(stats) }, content: null }, startedNs)
      if (!stats.isFile()) return { found: 'nothing' }
      return settled(readRegular(path, stats, limits), startedNs)
    } catch (error) {
      const code = errorCode(error)
      // Swapped between the look and the read (a file replaced by a link, a FIFO or a socket): look again.
      if ((code === 'ENOENT' || code === 'ELOOP' || code === 'ECHANGED' || code === 'EINVAL' || code === 'ENOTDIR' || code === 'ENXIO') && attempt < 3) continue
      if (code === 'EACCES' || code === 'EPERM') {
        return settled({ entry: { kind: 'file', mode: Number(stats.mode & 0o7777n), size: Number(stats.size), hash: null, note: 'not readable', stat: fingerprint(stats) }, content: null }, startedNs)
      }
      if (code === 'ENOENT' || code === 'ENOTDIR') return { found: 'nothing' }
      throw error
    }
  }
}
