// Reads a part of a workspace into snapshot entries: a whole subtree (the scan at run start, a
// directory that appeared, a rescan when the change journal is in doubt) or single paths (what
// the journal saw change). Entries whose lstat fingerprint is unchanged are not read again, and
// every content read is kept in the object store before the entry that names it is returned.
import { opendir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { PLACEHOLDER_DIRECTORY_NAMES } from '../tools/sandbox/protected-paths'
import { joinPath, type SnapshotEntry } from './entry'
import type { GitignoreRules } from './gitignore-rules'
import type { Manifest } from './manifest'
import type { ObjectStore } from './object-store'
import { DEFAULT_LIMITS, readEntry, type ReadLimits } from './read-entry'

/** Paths Tether never reads or writes, at any depth: git's own metadata (a nested repo's too). */
export function isGitMetadata(name: string): boolean {
  return name === '.git'
}

const READ_CONCURRENCY = 8

/**
 * An empty directory the sandbox may have put in place of a missing protected one (see
 * workspace-protection): it comes and goes with the shell, so it is never kept.
 */
async function isSandboxPlaceholder(root: string, path: string): Promise<boolean> {
  if (!PLACEHOLDER_DIRECTORY_NAMES.has(path.slice(path.lastIndexOf('/') + 1))) return false
  return (await readdir(join(root, path)).catch(() => [])).length === 0
}

export interface ScanContext {
  root: string
  rules: GitignoreRules
  objects: ObjectStore
  limits?: ReadLimits
  /** Called for every directory the scan enters, before it lists it (the journal watches it). */
  onDirectory?: (dir: string) => void
}

/** Entries found, by path; a path mapped to null is gone. */
export type ScanResult = Map<string, SnapshotEntry | null>

async function readKept(context: ScanContext, path: string, known: SnapshotEntry | undefined): Promise<SnapshotEntry | null> {
  const read = await readEntry(join(context.root, path), context.limits ?? DEFAULT_LIMITS, known)
  if (read === null) return null
  if (read.entry === known || (known !== undefined && known.kind === read.entry.kind && known.stat === read.entry.stat)) return known
  if (read.content !== null && read.entry.kind === 'file' && read.entry.hash !== null) await context.objects.put(read.entry.hash, read.content)
  return read.entry
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/**
 * Everything kept under `dir` (itself included) as it is now, compared with `known`: the result
 * maps every path that is there now, and every path of `known` under `dir` that is gone to null.
 */
export async function scanSubtree(context: ScanContext, dir: string, known: Manifest): Promise<ScanResult> {
  const result: ScanResult = new Map()
  const pending: string[] = []
  const walk = async (current: string): Promise<void> => {
    context.onDirectory?.(current)
    await context.rules.load(current)
    let handle
    try {
      handle = await opendir(join(context.root, current))
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') return
      throw error
    }
    const subdirs: string[] = []
    for await (const dirent of handle) {
      if (isGitMetadata(dirent.name)) continue
      const path = joinPath(current, dirent.name)
      if (dirent.isDirectory()) {
        // A path kept once stays kept: a .gitignore written later cannot hide a change to it.
        if (context.rules.isIgnored(path, true) && !known.has(path)) continue
        subdirs.push(path)
      } else if (dirent.isFile() || dirent.isSymbolicLink()) {
        if (context.rules.isIgnored(path, false) && !known.has(path)) continue
        pending.push(path)
      }
    }
    for (const subdir of subdirs) {
      if (await isSandboxPlaceholder(context.root, subdir)) continue
      const entry = await readKept(context, subdir, known.get(subdir))
      if (entry?.kind === 'dir') {
        result.set(subdir, entry)
        await walk(subdir)
      } else if (entry !== null) {
        pending.push(subdir)
      }
    }
  }
  if (dir !== '') {
    await context.rules.loadAncestors(dir)
    const self = await readKept(context, dir, known.get(dir))
    if (self?.kind === 'dir' && (await isSandboxPlaceholder(context.root, dir))) {
      // Nothing kept: see isSandboxPlaceholder.
    } else if (self?.kind === 'dir' && (known.has(dir) || !context.rules.isIgnored(dir, true))) {
      result.set(dir, self)
      await walk(dir)
    } else if (self !== null && !(context.rules.isIgnored(dir, false) && !known.has(dir))) {
      result.set(dir, self)
    }
  } else {
    await walk('')
  }
  await eachLimited(pending, READ_CONCURRENCY, async (path) => {
    result.set(path, await readKept(context, path, known.get(path)))
  })
  if (dir !== '' && known.has(dir) && !result.has(dir)) result.set(dir, null)
  for (const path of known.under(dir)) if (!result.has(path)) result.set(path, null)
  for (const [path, entry] of result) if (entry === null && !known.has(path)) result.delete(path)
  return result
}

/** The entries of single paths as they are now (null: gone, or nothing kept there). */
export async function scanPaths(context: ScanContext, paths: Iterable<string>, known: Manifest): Promise<ScanResult> {
  const result: ScanResult = new Map()
  const list = [...paths]
  for (const path of list) await context.rules.loadAncestors(path)
  await eachLimited(list, READ_CONCURRENCY, async (path) => {
    const entry = await readKept(context, path, known.get(path))
    if (entry !== null && !known.has(path) && context.rules.isIgnored(path, entry.kind === 'dir')) return
    result.set(path, entry?.kind === 'dir' && (await isSandboxPlaceholder(context.root, path)) ? null : entry)
  })
  return result
}
