// Makes a workspace match a checkpoint: what to change (a plan a dry run prints), then the
// changes, made without ever writing through a link: every folder on the way is opened without
// following one (workspace-dir), every change is made relative to the open parent, and files and
// links are written under a fresh name and renamed into place. This is the one writer of rewind,
// revert and apply.
import { randomBytes } from 'node:crypto'
import { escapeForTerminal, escapePath } from '../../common/text/display-text'
import { constants } from 'node:fs'
import { chmod, lstat, open, rename, rm, rmdir, symlink, unlink } from 'node:fs/promises'
import { depthOf, parentOf, sameContent, type SnapshotEntry } from './entry'
import type { Manifest } from './manifest'
import type { ObjectStore } from './object-store'
import { bytesOfName, UnsafePathError, WorkspaceDir } from './workspace-dir'

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

/** One line per step, as `--dry-run` prints it; names escaped (a name may hold any byte but `/`). */
export function describeStep(step: RestoreStep): string {
  const { from } = step
  const path = escapePath(step.path)
  const to = step.to?.kind === 'link' ? { ...step.to, target: escapePath(step.to.target) } : step.to
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

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}


function joinName(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`
}

/** How many folders one restore keeps open at a time. */
const OPEN_FOLDERS = 128

/**
 * The folders one restore works in, each opened once (folder by folder from the root, made where
 * missing, writable by the owner) and kept open while it is used: a restore of many paths does
 * not walk from the root for each. A folder stays the one that was opened even if it is moved
 * later, so nothing reached through it can be outside the workspace.
 */
class OpenFolders {
  #root: string
  #open = new Map<string, WorkspaceDir>()
  /** Folders this restore made writable or created, with the mode they get back. */
  readonly opened = new Map<string, number>()

  constructor(root: string) {
    this.#root = root
  }

  /** `dir` as a real folder; throws UnsafePathError where a link or a file is in the way. */
  async get(dir: string): Promise<WorkspaceDir> {
    const known = this.#open.get(dir)
    if (known !== undefined) {
      // Most recently used last: the first entry is the one to close when too many are open.
      this.#open.delete(dir)
      this.#open.set(dir, known)
      return known
    }
    let folder: WorkspaceDir
    if (dir === '') {
      folder = await WorkspaceDir.openRoot(this.#root)
    } else {
      const parent = await this.get(parentOf(dir))
      const child = await parent.child(nameOf(dir), { created: (relative) => this.opened.has(relative) || this.opened.set(relative, 0o755) })
      if (child === null) throw new UnsafePathError(`${escapePath(dir)} went away while it was made`)
      folder = child
    }
    try {
      await this.#writable(folder)
    } catch (error) {
      await folder.close()
      throw error
    }
    this.#open.set(dir, folder)
    if (this.#open.size > OPEN_FOLDERS) {
      const [oldest, handle] = this.#open.entries().next().value!
      this.#open.delete(oldest)
      await handle.close()
    }
    return folder
  }

  /** Forgets `dir` and what is below it (it was removed). */
  async forget(dir: string): Promise<void> {
    for (const [path, folder] of [...this.#open]) {
      if (path === dir || path.startsWith(`${dir}/`)) {
        this.#open.delete(path)
        await folder.close()
      }
    }
  }

  async close(): Promise<void> {
    for (const folder of this.#open.values()) await folder.close()
    this.#open.clear()
  }

  /** Gives the owner write and search rights on `folder`, remembering the mode it gets back. */
  async #writable(folder: WorkspaceDir): Promise<void> {
    const mode = Number((await folder.stat()).mode & 0o7777n)
    if ((mode & 0o700) === 0o700) return
    await chmod(folder.self, mode | 0o700)
    if (!this.opened.has(folder.relative)) this.opened.set(folder.relative, mode)
  }
}

async function writeEntry(folder: WorkspaceDir, name: string, entry: SnapshotEntry, objects: ObjectStore): Promise<void> {
  const temporary = folder.at(`.tether-restore-${randomBytes(6).toString('hex')}`)
  if (entry.kind === 'link') {
    await symlink(bytesOfName(entry.target), temporary)
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
    await rename(temporary, folder.at(name))
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}

async function removeEntry(folder: WorkspaceDir, name: string, kind: SnapshotEntry['kind']): Promise<void> {
  const target = folder.at(name)
  const stats = await lstat(target).catch(() => null)
  if (stats === null) return
  if (kind === 'dir' && stats.isDirectory()) await rmdir(target)
  else if (!stats.isDirectory()) await unlink(target)
  else throw new UnsafePathError(`${escapePath(joinName(folder.relative, name))} is a directory where a ${kind} was expected`)
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOTEMPTY') return 'the directory still holds files Tether leaves alone (ignored or not kept)'
  return escapeForTerminal(error instanceof UnsafePathError ? error.message : ((error as Error).message ?? String(error)))
}

/** Carries out `plan` in `root`. Every step is tried; what failed is reported, not thrown. */
export async function applyRestore(root: string, plan: RestorePlan, objects: ObjectStore): Promise<RestoreOutcome> {
  const changed = new Set<string>()
  const failed: RestoreOutcome['failed'] = []
  const folders = new OpenFolders(root)
  try {
    await restoreSteps(plan, objects, folders, changed, failed)
  } finally {
    await folders.close()
  }
  // Directory modes last (a read-only directory is written in first), deepest first.
  const modes = new Map(folders.opened)
  for (const step of plan.steps) if (step.to?.kind === 'dir') modes.set(step.path, step.to.mode)
  for (const [dir, mode] of [...modes].sort((a, b) => depthOf(b[0]) - depthOf(a[0]))) {
    try {
      const folder = await WorkspaceDir.open(root, dir)
      if (folder === null) continue
      try {
        if (Number((await folder.stat()).mode & 0o7777n) !== mode) await chmod(folder.self, mode)
      } finally {
        await folder.close()
      }
    } catch (error) {
      failed.push({ path: dir, reason: reasonOf(error) })
    }
  }
  return { changed: [...changed].sort(), failed }
}

async function restoreSteps(plan: RestorePlan, objects: ObjectStore, folders: OpenFolders, changed: Set<string>, failed: RestoreOutcome['failed']): Promise<void> {
  const attempt = async (path: string, action: () => Promise<void>): Promise<void> => {
    try {
      await action()
      changed.add(path)
    } catch (error) {
      failed.push({ path, reason: reasonOf(error) })
    }
  }
  const deepestFirst = (a: RestoreStep, b: RestoreStep): number => depthOf(b.path) - depthOf(a.path)
  const shallowestFirst = (a: RestoreStep, b: RestoreStep): number => depthOf(a.path) - depthOf(b.path)
  // 1. What is in the way: files and links that go or change kind, then directories, deepest first.
  for (const step of plan.steps.filter((s) => s.from !== null && s.from.kind !== 'dir' && (s.to === null || s.to.kind !== s.from.kind))) {
    await attempt(step.path, async () => removeEntry(await folders.get(parentOf(step.path)), nameOf(step.path), step.from!.kind))
  }
  for (const step of plan.steps.filter((s) => s.from?.kind === 'dir' && s.to?.kind !== 'dir').sort(deepestFirst)) {
    await attempt(step.path, async () => {
      await folders.forget(step.path)
      await removeEntry(await folders.get(parentOf(step.path)), nameOf(step.path), 'dir')
    })
  }
  // 2. Directories the checkpoint has, shallowest first; then files and links.
  for (const step of plan.steps.filter((s) => s.to?.kind === 'dir').sort(shallowestFirst)) {
    await attempt(step.path, async () => void (await folders.get(step.path)))
  }
  for (const step of plan.steps.filter((s) => s.to !== null && s.to.kind !== 'dir')) {
    await attempt(step.path, async () => writeEntry(await folders.get(parentOf(step.path)), nameOf(step.path), step.to!, objects))
  }
}
