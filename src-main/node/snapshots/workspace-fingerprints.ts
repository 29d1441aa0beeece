// What the last run in a workspace found there: the entries of its latest checkpoint, kept per
// workspace under the data dir. A new run's first read takes a path's entry from here, unread,
// when the path's lstat fingerprint still matches it (inode, size, mtime and ctime; no process
// can set a ctime back) and its content is in the object store; so the second run in a
// 50,000-file repository stats its files instead of reading them all again. Only a cache: a file
// that is missing, torn or from another version is set aside with a note, and the run reads.
//
// One write leaves no mark: a write through a shared memory mapping to a page that is already
// dirty. The kernel stamps the ctime when a clean page is first written, and writes a dirty page
// back within `vm.dirty_expire_centisecs` (plus a flusher period), after which the next write
// stamps again. So an entry is kept for the next run only if its file last changed longer before
// this run's first read than twice that time: whatever was written through a mapping without a
// mark was on disk when the file was read. That holds on the local file systems listed below,
// with periodic writeback on; anywhere else (tmpfs, overlays, network and FUSE file systems,
// FAT, whose ctime is the creation time) nothing is kept, and neither is anything below a mount
// point inside the workspace. Both clocks are the wall clock: a step forward of more than the
// settling time between a write and the read can pass a page still dirty.
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, stat, statfs, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { z } from 'zod'
import { entrySchema } from './checkpoint-log'
import { isWithinAny, type SnapshotEntry } from './entry'
import { HASH } from './object-store'

const VERSION = 1

/** The least time a file must have been left alone for its entry to be kept, whatever the kernel's settings. */
const MIN_SETTLED_MS = 60_000

/** A temporary file this old is what a crash left, never a write under way. */
const STALE_TEMPORARY_MS = 60 * 60 * 1000

/** Linux's magic numbers of the file systems the header's reasoning holds for. */
const MARKS_EVERY_CHANGE = new Set([0xef53 /* ext2/3/4 */, 0x58465342 /* xfs */, 0x9123683e /* btrfs */, 0xf2f52010 /* f2fs */])

const fileSchema = z.object({
  version: z.literal(VERSION),
  workspace: z.string(),
  entries: z.array(z.tuple([z.string(), entrySchema]))
})

export interface FoundBefore {
  /** Entries by path; empty when there is nothing usable. */
  entries: ReadonlyMap<string, SnapshotEntry>
  /** Why the file was set aside; null when it was read or there was none. */
  problem: string | null
}

const NOTHING: FoundBefore = { entries: new Map(), problem: null }

export async function readFingerprints(path: string, workspace: string): Promise<FoundBefore> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return NOTHING
    return { entries: new Map(), problem: `what the last run found here could not be read (${(error as Error).message}); every file was read` }
  }
  let parsed
  try {
    parsed = fileSchema.safeParse(JSON.parse(text))
  } catch {
    return { entries: new Map(), problem: `what the last run found here is not JSON (${path}); every file was read` }
  }
  const wellFormed = parsed.success && parsed.data.entries.every(([, entry]) => entry.kind !== 'file' || entry.hash === null || HASH.test(entry.hash))
  if (!parsed.success || !wellFormed) return { entries: new Map(), problem: `what the last run found here is not in the expected form (${path}); every file was read` }
  if (parsed.data.workspace !== workspace) return NOTHING
  return { entries: new Map(parsed.data.entries as [string, SnapshotEntry][]), problem: null }
}

/**
 * Replaces the file at once (a new name, then a rename): a reader sees the old file or the new
 * one. Keeps only the entries of paths left alone since `settledBeforeMs` (see the header).
 */
export async function writeFingerprints(path: string, workspace: string, found: [string, SnapshotEntry][], settledBeforeMs: number): Promise<void> {
  const limitNs = BigInt(Math.floor(settledBeforeMs)) * 1_000_000n
  const mounts = await mountPointsBelow(workspace)
  const entries =
    mounts === null
      ? []
      : found.filter(([entryPath, entry]) => {
          // Content not kept is read again by the next run anyway.
          if ((entry.kind === 'file' && entry.hash === null) || isWithinAny(entryPath, mounts)) return false
          const [, , , ctimeNs, racy] = entry.stat.split(':')
          return racy === undefined && ctimeNs !== undefined && /^\d+$/.test(ctimeNs) && BigInt(ctimeNs) < limitNs
        })
  await mkdir(dirname(path), { recursive: true })
  await removeStaleTemporaries(path)
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(temporary, JSON.stringify({ version: VERSION, workspace, entries }), { mode: 0o600 })
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}

/** What a write cut short by a crash left beside `path` (a write under way elsewhere is younger). */
async function removeStaleTemporaries(path: string): Promise<void> {
  const prefix = `${basename(path)}.`
  const names = await readdir(dirname(path)).catch(() => [] as string[])
  for (const name of names.filter((candidate) => candidate.startsWith(prefix) && candidate.endsWith('.tmp'))) {
    const temporary = join(dirname(path), name)
    const info = await stat(temporary).catch(() => null)
    if (info !== null && Date.now() - info.mtimeMs > STALE_TEMPORARY_MS) await rm(temporary, { force: true })
  }
}

/**
 * How long a file in `path`'s file system must have been left alone before a read for its entry
 * to be kept (see the header); null where the header's reasoning does not hold: a file system
 * not listed, periodic writeback switched off (a dirty page can then take writes through a
 * mapping unmarked for ever), or settings that cannot be read.
 */
export async function settledAfterMs(path: string): Promise<number | null> {
  const info = await statfs(path).catch(() => null)
  if (info === null || !MARKS_EVERY_CHANGE.has(info.type)) return null
  const centisecs = async (name: string): Promise<number | null> => {
    const value = Number.parseInt(await readFile(`/proc/sys/vm/${name}`, 'utf8').catch(() => ''), 10)
    return Number.isSafeInteger(value) && value >= 0 ? value : null
  }
  const expire = await centisecs('dirty_expire_centisecs')
  const period = await centisecs('dirty_writeback_centisecs')
  if (expire === null || period === null || period === 0) return null
  return Math.max(MIN_SETTLED_MS, 2 * (expire + period) * 10)
}

/** Octal escapes `/proc/self/mountinfo` uses for spaces, tabs, newlines and backslashes in paths. */
function unescapeMountPath(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)))
}

/** Workspace-relative paths of the mount points strictly inside `workspace` (a real path); null when they cannot be known. */
async function mountPointsBelow(workspace: string): Promise<Set<string> | null> {
  const text = await readFile('/proc/self/mountinfo', 'utf8').catch(() => null)
  return text === null ? null : mountPointsIn(text, workspace)
}

/** The mount points `mountinfo` (the text of `/proc/self/mountinfo`) lists strictly inside `workspace`, relative to it. */
export function mountPointsIn(mountinfo: string, workspace: string): Set<string> {
  const prefix = workspace.endsWith('/') ? workspace : `${workspace}/`
  const below = new Set<string>()
  for (const line of mountinfo.split('\n')) {
    const mountPoint = line.split(' ')[4]
    if (mountPoint === undefined) continue
    const path = unescapeMountPath(mountPoint)
    if (path.startsWith(prefix)) below.add(path.slice(prefix.length))
  }
  return below
}
