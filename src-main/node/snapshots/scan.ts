// Reads a part of a workspace into snapshot entries: a whole subtree (the scan at run start, a
// directory that appeared, a rescan when the change journal is in doubt) or single paths (what
// the journal saw change). Entries whose lstat fingerprint is unchanged are not read again, and
// every content read is on disk in the object store before the scan returns the entry that names it.
import { readdir } from 'node:fs/promises'
import { escapePath } from '../../common/text/display-text'
import { PLACEHOLDER_DIRECTORY_NAMES } from '../tools/sandbox/protected-paths'
import { joinPath, parentOf, sameContent, type SnapshotEntry } from './entry'
import type { GitignoreRules } from './gitignore-rules'
import type { Manifest } from './manifest'
import type { ObjectStore } from './object-store'
import { listFolder, readEntriesIn, readEntry } from './entry-reader'
import { DEFAULT_LIMITS, type ReadLimits, type ReadResult } from './read-entry'
import type { StoreBudget } from './store-budget'
import { UnsafePathError, withWorkspaceDir, WorkspaceDir } from './workspace-dir'

/** Paths Tether never reads or writes, at any depth: git's own metadata (a nested repo's too). */
export function isGitMetadata(name: string): boolean {
  return name === '.git'
}

/**
 * Reads at once, across the whole scan: a folder's files go to the reader together, and each read
 * holds the contents it found until they are kept.
 */
const READ_CONCURRENCY = 4
/**
 * Folders walked side by side, beyond the first: one folder at a time waits for every step of
 * every folder in turn (open, look and close through the thread pool, list and read through the
 * entry reader), and a repository's folders hold about ten files each.
 */
const EXTRA_WALKS = 7

/**
 * Folders deeper than this are kept as folders but not read (with a note): each walk holds one
 * open folder per level, and no project nests this deep.
 */
export const MAX_DEPTH = 256
/**
 * Below this depth one walk at a time goes on, alone: eight walks each down a chain of folders
 * MAX_DEPTH deep would hold more open folders than a process may have (1024 is a common limit).
 */
export const SIDE_BY_SIDE_DEPTH = 16

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

/**
 * An empty directory the sandbox may have put in place of a missing protected one (see
 * workspace-protection): it comes and goes with the shell, so it is never kept.
 */
async function isSandboxPlaceholder(folder: WorkspaceDir): Promise<boolean> {
  if (!PLACEHOLDER_DIRECTORY_NAMES.has(nameOf(folder.relative))) return false
  return (await readdir(folder.self).catch(() => [])).length === 0
}

export interface ScanContext {
  root: string
  rules: GitignoreRules
  objects: ObjectStore
  limits?: ReadLimits
  /** Called for every directory the scan enters, before it lists it (the journal watches it). */
  onDirectory?: (dir: string) => void
  /** Told what the scan could not read (a folder too deep), for the checkpoint's notes. */
  note?: (text: string) => void
  /** What new content the scan may keep; without one, all of it is kept. */
  budget?: StoreBudget
  /**
   * Entries an earlier run found (see workspace-fingerprints), for paths the scan does not know:
   * one is taken unread when its fingerprint still matches and its content is in the store.
   */
  foundBefore?: ReadonlyMap<string, SnapshotEntry>
}

/** Entries found, by path; a path mapped to null is gone. */
export type ScanResult = Map<string, SnapshotEntry | null>

async function kept(context: ScanContext, read: ReadResult | null, known: SnapshotEntry | undefined): Promise<SnapshotEntry | null> {
  if (read === null) return null
  if (read.entry === known || (known !== undefined && known.stat === read.entry.stat && sameContent(known, read.entry))) return known
  if (read.content !== null && read.entry.kind === 'file' && read.entry.hash !== null && !(await context.objects.has(read.entry.hash))) {
    const refusal = (await context.budget?.refusal(read.content.length)) ?? null
    if (refusal !== null) return { ...read.entry, hash: null, note: refusal }
    await context.objects.put(read.entry.hash, read.content)
  }
  return read.entry
}

/**
 * What the scan already knows of `path`: its own entry, else one an earlier run found if its
 * content is in the store (a file that run could not keep is read, and may be kept now).
 */
async function knownOrFound(context: ScanContext, path: string, known: Manifest): Promise<SnapshotEntry | undefined> {
  const own = known.get(path)
  if (own !== undefined) return own
  const found = context.foundBefore?.get(path)
  if (found?.kind === 'file' && (found.hash === null || !(await context.objects.has(found.hash)))) return undefined
  return found
}

/**
 * The entries of paths in one folder as they are now, each kept in the store: read together, what
 * each request to the reader found is kept before the next is made, and `reading` holds the whole
 * of it, so the contents in memory stay bounded however large the folder.
 */
async function readKeptAll(context: ScanContext, folder: WorkspaceDir, paths: readonly string[], known: Manifest, reading: Limiter): Promise<(SnapshotEntry | null)[]> {
  const befores = await Promise.all(paths.map((path) => knownOrFound(context, path, known)))
  const reads = paths.map((path, index) => ({ name: nameOf(path), known: befores[index] }))
  return reading(async () => {
    const entries: (SnapshotEntry | null)[] = []
    for await (const part of readEntriesIn(folder, reads, context.limits ?? DEFAULT_LIMITS)) {
      for (const read of part) entries.push(await kept(context, read, befores[entries.length]))
    }
    return entries
  })
}

/** `readKeptAll` for one path. */
async function readKept(context: ScanContext, folder: WorkspaceDir, path: string, known: Manifest, reading: Limiter): Promise<SnapshotEntry | null> {
  const [entry] = await readKeptAll(context, folder, [path], known, reading)
  return entry ?? null
}

/** The inode a folder's entry was read with; null for anything but a folder. */
function inodeOfFolder(entry: SnapshotEntry | null): string | null {
  return entry?.kind === 'dir' ? entry.stat.slice(0, entry.stat.indexOf(':')) : null
}

/** What the loops of one scan share: after a failure in any of them, none starts another item. */
interface ScanLoops {
  failure: { error: unknown } | null
}

/**
 * Runs `work` over `items` with `workers` at a time, and tells `workerDone` as each one runs out
 * of items. After a failure in any loop of the scan no item is started; the failure is thrown
 * once this loop's workers stopped, so nothing of the scan still runs when it fails.
 */
async function eachLimited<T>(items: readonly T[], workers: number, loops: ScanLoops, work: (item: T) => Promise<void>, workerDone?: (worker: number) => void): Promise<void> {
  let next = 0
  const worker = async (index: number): Promise<void> => {
    try {
      while (loops.failure === null && next < items.length) await work(items[next++]!)
    } catch (error) {
      loops.failure ??= { error }
    } finally {
      workerDone?.(index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(workers, items.length) }, (_, index) => worker(index)))
  if (loops.failure !== null) throw loops.failure.error
}

type Limiter = <T>(work: () => Promise<T>) => Promise<T>

/** Runs each piece of work given to it when fewer than `limit` others run. */
function limiter(limit: number): Limiter {
  let running = 0
  const waiting: (() => void)[] = []
  return async (work) => {
    if (running < limit) running += 1
    else await new Promise<void>((resolve) => waiting.push(resolve))
    try {
      return await work()
    } finally {
      // The slot passes straight to the next in line, so none is taken twice.
      const next = waiting.shift()
      if (next) next()
      else running -= 1
    }
  }
}

/**
 * Everything kept under `dir` (itself included) as it is now, compared with `known`: the result
 * maps every path that is there now, and every path of `known` under `dir` that is gone to null.
 * Every folder is entered through its open parent without following a link (workspace-dir).
 */
export async function scanSubtree(context: ScanContext, dir: string, known: Manifest): Promise<ScanResult> {
  const result: ScanResult = new Map()
  const reading = limiter(READ_CONCURRENCY)
  const loops: ScanLoops = { failure: null }
  let spareWalks = EXTRA_WALKS
  const deepWalk = limiter(1)
  /** `alone`: this walk holds the one place below SIDE_BY_SIDE_DEPTH, and starts no other walk. */
  const walk = async (folder: WorkspaceDir, depth: number, alone: boolean): Promise<void> => {
    const current = folder.relative
    context.onDirectory?.(current)
    const listing = await listFolder(folder)
    if (listing === null) return
    const listed: { path: string; isDir: boolean }[] = []
    let listedGitignore = false
    for (const { name, kind } of listing) {
      if (isGitMetadata(name)) continue
      if (kind === 'dir') listed.push({ path: joinPath(current, name), isDir: true })
      else if (kind === 'file' || kind === 'link') {
        listed.push({ path: joinPath(current, name), isDir: false })
        listedGitignore ||= name === '.gitignore'
      }
    }
    await context.rules.loadListed(folder, listedGitignore)
    const files: string[] = []
    const folders: string[] = []
    for (const { path, isDir } of listed) {
      // A path kept once stays kept.
      if (context.rules.isIgnored(path, isDir) && !known.has(path)) continue
      if (isDir) folders.push(path)
      else files.push(path)
    }
    if (loops.failure !== null) return
    // A folder's own entry is read with its parent's files.
    const entries = await readKeptAll(context, folder, [...files, ...folders], known, reading)
    for (const [index, path] of files.entries()) result.set(path, entries[index] ?? null)
    const subdirs = folders.map((path, index) => ({ path, entry: entries[files.length + index] ?? null }))
    // Walks that run out of folders here hand their place back, for a folder deeper or elsewhere.
    const helpers = alone ? 0 : Math.max(0, Math.min(spareWalks, subdirs.length - 1))
    spareWalks -= helpers
    await eachLimited(subdirs, 1 + helpers, loops, (subdir) => visit(folder, subdir.path, subdir.entry, depth + 1, alone), (worker) => {
      if (worker > 0) spareWalks += 1
    })
  }
  /** A folder found in `parent`, `looked` its entry as read with its parent: kept, and walked unless it is too deep. */
  const visit = async (parent: WorkspaceDir, path: string, looked: SnapshotEntry | null, depth: number, alone: boolean): Promise<void> => {
    if (loops.failure !== null) return
    if (!alone && depth > SIDE_BY_SIDE_DEPTH) return deepWalk(() => visit(parent, path, looked, depth, true))
    let folder: WorkspaceDir | null
    try {
      folder = await parent.child(nameOf(path))
    } catch (error) {
      if (!(error instanceof UnsafePathError)) throw error
      // No longer a folder (swapped for a link or a file since it was listed): kept as what it is now.
      const entry = await readKept(context, parent, path, known, reading)
      if (entry !== null) result.set(path, entry)
      return
    }
    if (folder === null) return
    try {
      if (await isSandboxPlaceholder(folder)) return
      const opened = String((await folder.stat()).ino)
      let entry = looked
      if (inodeOfFolder(entry) !== opened) {
        // Replaced since its parent's batch read it (a build's `rm -rf out && mkdir out` while
        // its siblings were walked): looked at again, now that it is open.
        entry = await readKept(context, parent, path, known, reading)
        if (inodeOfFolder(entry) !== opened) {
          // Swapped between the open and the look: what is there now is kept, nothing is walked.
          if (entry !== null) result.set(path, entry)
          return
        }
      }
      result.set(path, entry)
      if (depth > MAX_DEPTH) context.note?.(`${escapePath(path)}: folders nested deeper than ${MAX_DEPTH} levels are not read`)
      else await walk(folder, depth, alone)
    } catch (error) {
      // Every walk stops starting anything now, not once this one has closed its folder.
      loops.failure ??= { error }
      throw error
    } finally {
      await folder.close()
    }
  }
  if (dir === '') {
    const root = await WorkspaceDir.openRoot(context.root)
    try {
      await walk(root, 0, false)
    } finally {
      await root.close()
    }
  } else {
    await context.rules.loadAncestors(dir)
    let parent: WorkspaceDir | null = null
    try {
      parent = await WorkspaceDir.open(context.root, parentOf(dir))
    } catch (error) {
      if (!(error instanceof UnsafePathError)) throw error
    }
    if (parent !== null) {
      try {
        const self = await readKept(context, parent, dir, known, reading)
        if (self?.kind === 'dir' && (known.has(dir) || !context.rules.isIgnored(dir, true))) await visit(parent, dir, self, dir.split('/').length, false)
        else if (self !== null && self.kind !== 'dir' && !(context.rules.isIgnored(dir, false) && !known.has(dir))) result.set(dir, self)
      } finally {
        await parent.close()
      }
    }
  }
  if (dir !== '' && known.has(dir) && !result.has(dir)) result.set(dir, null)
  for (const path of known.under(dir)) if (!result.has(path)) result.set(path, null)
  for (const [path, entry] of result) if (entry === null && !known.has(path)) result.delete(path)
  await context.objects.flush()
  return result
}

async function isPlaceholderAt(root: string, path: string): Promise<boolean> {
  if (!PLACEHOLDER_DIRECTORY_NAMES.has(nameOf(path))) return false
  try {
    return (await withWorkspaceDir(root, path, isSandboxPlaceholder)) === true
  } catch (error) {
    if (error instanceof UnsafePathError) return false
    throw error
  }
}

/** The entries of single paths as they are now (null: gone, or nothing kept there). */
export async function scanPaths(context: ScanContext, paths: Iterable<string>, known: Manifest): Promise<ScanResult> {
  const result: ScanResult = new Map()
  const list = [...paths]
  for (const path of list) await context.rules.loadAncestors(path)
  await eachLimited(list, READ_CONCURRENCY, { failure: null }, async (path) => {
    const before = await knownOrFound(context, path, known)
    const entry = await kept(context, await readEntry(context.root, path, context.limits ?? DEFAULT_LIMITS, before), before)
    if (entry !== null && !known.has(path) && context.rules.isIgnored(path, entry.kind === 'dir')) return
    result.set(path, entry?.kind === 'dir' && (await isPlaceholderAt(context.root, path)) ? null : entry)
  })
  await context.objects.flush()
  return result
}
