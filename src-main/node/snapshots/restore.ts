// Makes a workspace match a checkpoint: what to change (a plan a dry run prints), then the
// changes, made without ever writing through a link: every parent on the way is checked to be a
// real directory first, and files and links are written under a fresh name and renamed into place.
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { chmod, lstat, mkdir, open, rename, rm, rmdir, symlink, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { depthOf, parentOf, sameContent, type SnapshotEntry } from './entry'
import type { Manifest } from './manifest'
import type { ObjectStore } from './object-store'

export interface RestoreStep {
  path: string
  /** What is there now (null: nothing kept there). */
  from: SnapshotEntry | null
  /** What the checkpoint has (null: the path goes away). */
  to: SnapshotEntry | null
}

export interface RestorePlan {
  steps: RestoreStep[]
  /** Paths the checkpoint names but cannot bring back (their content was not kept). */
  unrestorable: { path: string; reason: string }[]
}

export interface RestoreOutcome {
  changed: string[]
  failed: { path: string; reason: string }[]
}

function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0')
}

/** One line per step, as `--dry-run` prints it. */
export function describeStep(step: RestoreStep): string {
  const { from, to, path } = step
  if (to === null) return `delete  ${path}${from?.kind === 'dir' ? '/' : ''}`
  if (from === null) return `create  ${path}${to.kind === 'dir' ? '/' : to.kind === 'link' ? ` -> ${to.target}` : ''}`
  if (from.kind !== to.kind) return `replace ${path} (${from.kind} -> ${to.kind})`
  if (to.kind === 'link') return `relink  ${path} -> ${to.target}`
  if (to.kind === 'file' && from.kind === 'file' && from.hash === to.hash) return `mode    ${path} ${octal(from.mode)} -> ${octal(to.mode)}`
  if (to.kind === 'dir' && from.kind === 'dir') return `mode    ${path}/ ${octal(from.mode)} -> ${octal(to.mode)}`
  return `restore ${path}${from.kind === 'file' && to.kind === 'file' && from.mode !== to.mode ? ` (mode ${octal(from.mode)} -> ${octal(to.mode)})` : ''}`
}

/** What turns `current` into `target`, path by path, sorted. */
export function planRestore(current: Manifest, target: Manifest): RestorePlan {
  const steps: RestoreStep[] = []
  const unrestorable: RestorePlan['unrestorable'] = []
  for (const [path, to] of target.entries()) {
    const from = current.get(path)
    if (sameContent(from, to)) continue
    if (to.kind === 'file' && to.hash === null) unrestorable.push({ path, reason: `its content was not kept: ${to.note ?? 'unknown'}` })
    else steps.push({ path, from: from ?? null, to })
  }
  for (const [path, from] of current.entries()) if (!target.has(path)) steps.push({ path, from, to: null })
  steps.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  unrestorable.sort((a, b) => (a.path < b.path ? -1 : 1))
  return { steps, unrestorable }
}

class UnsafePathError extends Error {}

/** Makes every directory from the root to `dir` a real directory Tether may write in. */
async function realDirectories(root: string, dir: string, opened: Map<string, number>): Promise<void> {
  if (dir === '') return
  const parts = dir.split('/')
  for (let depth = 1; depth <= parts.length; depth += 1) {
    const rel = parts.slice(0, depth).join('/')
    const absolute = join(root, rel)
    const stats = await lstat(absolute).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null
      throw error
    })
    if (stats === null) {
      await mkdir(absolute, { mode: 0o700 })
      if (!opened.has(rel)) opened.set(rel, 0o755)
    } else if (!stats.isDirectory()) {
      throw new UnsafePathError(`${rel} is not a directory (${stats.isSymbolicLink() ? 'a link' : 'a file'}); not written through`)
    } else if ((stats.mode & 0o700) !== 0o700) {
      await chmod(absolute, (stats.mode & 0o7777) | 0o700)
      if (!opened.has(rel)) opened.set(rel, stats.mode & 0o7777)
    }
  }
}

async function writeEntry(root: string, path: string, entry: SnapshotEntry, objects: ObjectStore): Promise<void> {
  const absolute = join(root, path)
  const temporary = join(root, parentOf(path), `.tether-restore-${randomBytes(6).toString('hex')}`)
  if (entry.kind === 'link') {
    await symlink(entry.target, temporary)
  } else if (entry.kind === 'file') {
    const content = await objects.get(entry.hash!)
    const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600)
    try {
      await handle.writeFile(content)
      await handle.chmod(entry.mode)
    } finally {
      await handle.close()
    }
  } else {
    return
  }
  try {
    await rename(temporary, absolute)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}

async function removeEntry(root: string, path: string, kind: SnapshotEntry['kind']): Promise<void> {
  const absolute = join(root, path)
  const stats = await lstat(absolute).catch(() => null)
  if (stats === null) return
  if (kind === 'dir' && stats.isDirectory()) await rmdir(absolute)
  else if (!stats.isDirectory()) await unlink(absolute)
  else throw new UnsafePathError(`${path} is a directory where a ${kind} was expected`)
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOTEMPTY') return 'the directory still holds files Tether leaves alone (ignored or not kept)'
  return error instanceof UnsafePathError ? error.message : ((error as Error).message ?? String(error))
}

/** Carries out `plan` in `root`. Every step is tried; what failed is reported, not thrown. */
export async function applyRestore(root: string, plan: RestorePlan, objects: ObjectStore): Promise<RestoreOutcome> {
  const changed: string[] = []
  const failed: RestoreOutcome['failed'] = []
  /** Directories this restore made writable or created, with the mode they get back. */
  const opened = new Map<string, number>()
  const attempt = async (path: string, action: () => Promise<void>): Promise<void> => {
    try {
      await action()
      if (!changed.includes(path)) changed.push(path)
    } catch (error) {
      failed.push({ path, reason: reasonOf(error) })
    }
  }
  const deepestFirst = (a: RestoreStep, b: RestoreStep): number => depthOf(b.path) - depthOf(a.path)
  const shallowestFirst = (a: RestoreStep, b: RestoreStep): number => depthOf(a.path) - depthOf(b.path)
  // 1. What is in the way: files and links that go or change kind, then directories, deepest first.
  for (const step of plan.steps.filter((s) => s.from !== null && s.from.kind !== 'dir' && (s.to === null || s.to.kind !== s.from.kind))) {
    await attempt(step.path, async () => {
      await realDirectories(root, parentOf(step.path), opened)
      await removeEntry(root, step.path, step.from!.kind)
    })
  }
  for (const step of plan.steps.filter((s) => s.from?.kind === 'dir' && s.to?.kind !== 'dir').sort(deepestFirst)) {
    await attempt(step.path, async () => {
      await realDirectories(root, parentOf(step.path), opened)
      await removeEntry(root, step.path, 'dir')
    })
  }
  // 2. Directories the checkpoint has, shallowest first; then files and links.
  for (const step of plan.steps.filter((s) => s.to?.kind === 'dir').sort(shallowestFirst)) {
    await attempt(step.path, () => realDirectories(root, step.path, opened))
  }
  for (const step of plan.steps.filter((s) => s.to !== null && s.to.kind !== 'dir')) {
    await attempt(step.path, async () => {
      await realDirectories(root, parentOf(step.path), opened)
      await writeEntry(root, step.path, step.to!, objects)
    })
  }
  // 3. Directory modes last (a read-only directory is written in first), deepest first.
  const modes = new Map(opened)
  for (const step of plan.steps) if (step.to?.kind === 'dir') modes.set(step.path, step.to.mode)
  for (const [dir, mode] of [...modes].sort((a, b) => depthOf(b[0]) - depthOf(a[0]))) {
    try {
      const stats = await lstat(join(root, dir))
      if (stats.isDirectory() && (stats.mode & 0o7777) !== mode) await chmod(join(root, dir), mode)
    } catch (error) {
      failed.push({ path: dir, reason: reasonOf(error) })
    }
  }
  return { changed: changed.sort(), failed }
}
