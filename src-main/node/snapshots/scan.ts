// Reads a part of a workspace into snapshot entries: a whole subtree (the scan at run start, a
// directory that appeared, a rescan when the change journal is in doubt) or single paths (what
// the journal saw change). Entries whose lstat fingerprint is unchanged are not read again, and
// every content read is on disk in the object store before the scan returns the entry that names it.
import { opendir, readdir } from 'node:fs/promises'
import { escapePath } from '../../common/text/display-text'
import { PLACEHOLDER_DIRECTORY_NAMES } from '../tools/sandbox/protected-paths'
import { joinPath, parentOf, sameContent, type SnapshotEntry } from './entry'
import type { GitignoreRules } from './gitignore-rules'
import type { Manifest } from './manifest'
import type { ObjectStore } from './object-store'
import { DEFAULT_LIMITS, readEntry, readEntryAt, type ReadLimits, type ReadResult } from './read-entry'
import type { StoreBudget } from './store-budget'
import { nameFromBytes, UnsafePathError, withWorkspaceDir, WorkspaceDir } from './workspace-dir'

/** Paths Tether never reads or writes, at any depth: git's own metadata (a nested repo's too). */
export function isGitMetadata(name: string): boolean {
  return name === '.git'
}

/** Paths read at once, across the whole scan: each read holds a file's content until it is kept. */
const READ_CONCURRENCY = 8
/**
 * Folders walked side by side, beyond the first: one folder at a time pays a trip through the
 * thread pool for every step of every folder (open, list, look), and a repository's folders hold
 * about ten files each.
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

async function readKept(context: ScanContext, folder: WorkspaceDir, path: string, known: Manifest): Promise<SnapshotEntry | null> {
  const before = await knownOrFound(context, path, known)
  return kept(context, await readEntryAt(folder, nameOf(path), context.limits ?? DEFAULT_LIMITS, before), before)
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

/** Runs each piece of work given to it when fewer than `limit` others run. */
function limiter(limit: number): <T>(work: () => Promise<T>) => Promise<T> {
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
    let listing
    try {
      // Names as bytes: a name that is not UTF-8 must still name its file (see workspace-dir).
      listing = await opendir(folder.self, { encoding: 'buffer' as BufferEncoding })
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES') return
      throw error
    }
    const listed: { path: string; isDir: boolean }[] = []
    let listedGitignore = false
    for await (const dirent of listing) {
      const name = nameFromBytes(dirent.name as unknown as Buffer)
      if (isGitMetadata(name)) continue
      if (dirent.isDirectory()) listed.push({ path: joinPath(current, name), isDir: true })
      else if (dirent.isFile() || dirent.isSymbolicLink()) {
        listed.push({ path: joinPath(current, name), isDir: false })
        listedGitignore ||= name === '.gitignore'
      }
    }
    await context.rules.loadListed(folder, listedGitignore)
    const files: string[] = []
    const subdirs: string[] = []
    for (const { path, isDir } of listed) {
      // A path kept once stays kept.
      if (context.rules.isIgnored(path, isDir) && !known.has(path)) continue
      if (isDir) subdirs.push(path)
      else files.push(path)
    }
    await eachLimited(files, READ_CONCURRENCY, loops, async (path) => {
      result.set(path, await reading(() => readKept(context, folder, path, known)))
    })
    // Walks that run out of folders here hand their place back, for a folder deeper or elsewhere.
    const helpers = alone ? 0 : Math.max(0, Math.min(spareWalks, subdirs.length - 1))
    spareWalks -= helpers
    await eachLimited(subdirs, 1 + helpers, loops, (subdir) => visit(folder, subdir, depth + 1, alone), (worker) => {
      if (worker > 0) spareWalks += 1
    })
  }
  /** A folder found in `parent`: kept, and walked unless it is too deep. */
  const visit = async (parent: WorkspaceDir, path: string, depth: number, alone: boolean): Promise<void> => {
    if (!alone && depth > SIDE_BY_SIDE_DEPTH) return deepWalk(() => visit(parent, path, depth, true))
    let folder: WorkspaceDir | null
    try {
      folder = await parent.child(nameOf(path))
    } catch (error) {
      if (!(error instanceof UnsafePathError)) throw error
      // No longer a folder (swapped for a link or a file since it was listed): kept as what it is now.
      const entry = await reading(() => readKept(context, parent, path, known))
      if (entry !== null) result.set(path, entry)
      return
    }
    if (folder === null) return
    try {
      if (await isSandboxPlaceholder(folder)) return
      // Read like any file: a folder swapped for a file since it was listed is read here.
      const entry = await reading(() => readKept(context, parent, path, known))
      const opened = await folder.stat()
      if (entry?.kind !== 'dir' || entry.stat.slice(0, entry.stat.indexOf(':')) !== String(opened.ino)) {
        // Swapped between the open and the look: what is there now is kept, nothing is walked.
        if (entry !== null) result.set(path, entry)
        return
      }
      result.set(path, entry)
      if (depth > MAX_DEPTH) context.note?.(`${escapePath(path)}: folders nested deeper than ${MAX_DEPTH} levels are not read`)
      else await walk(folder, depth, alone)
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
        const self = await readKept(context, parent, dir, known)
        if (self?.kind === 'dir' && (known.has(dir) || !context.rules.isIgnored(dir, true))) await visit(parent, dir, dir.split('/').length, false)
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
