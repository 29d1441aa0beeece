// Where a repository's git data really is, decided by Tether instead of by git's discovery: the
// `.git` entry (directory, `gitdir:` file or symlink), its `commondir` and its object
// alternates must all stay inside the repository (or a git directory the caller trusts), and no
// file git opens there may be a FIFO, socket, device or symlink - those would block or redirect
// the host's git. The result is passed to git explicitly (GIT_DIR, GIT_WORK_TREE), so git itself
// never searches parent folders or follows a redirection Tether did not check.
import type { Dirent } from 'node:fs'
import { readdir, realpath } from 'node:fs/promises'
import { dirname, isAbsolute, join, resolve, sep } from 'node:path'
import { assertPlainFileOrAbsent, describeFileType, lstatOrNull, readUntrustedFile, UntrustedFileError } from './untrusted-file'

export interface GitRepository {
  /** The top of the work tree (a real path). */
  workTree: string
  /** The repository's git directory (for a linked worktree, its own folder under `worktrees/`). */
  gitDir: string
  /** Where config, objects and refs live: `gitDir`, or what its `commondir` names. */
  commonDir: string
}

export interface GitRepositoryOptions {
  /** Git directories outside the work tree that may be pointed at (a linked worktree's main repository). */
  trustedGitDirs?: readonly string[]
  /** At most this many entries of the git directory are checked for special files (default 200,000). */
  maxScannedEntries?: number
}

export class GitLayoutError extends Error {}

const SMALL_FILE_BYTES = 64 * 1024
const MAX_INDEX_BYTES = 1024 * 1024 * 1024
const MAX_METADATA_BYTES = 256 * 1024 * 1024
const DEFAULT_MAX_SCANNED = 200_000

/** Files git opens (when present) whose size must be bounded and which must not be sparse. */
const BOUNDED_FILES: ReadonlyArray<[string, number]> = [
  ['HEAD', SMALL_FILE_BYTES],
  ['config', SMALL_FILE_BYTES * 16],
  ['config.worktree', SMALL_FILE_BYTES * 16],
  ['index', MAX_INDEX_BYTES],
  ['packed-refs', MAX_METADATA_BYTES],
  ['shallow', MAX_METADATA_BYTES],
  ['ORIG_HEAD', SMALL_FILE_BYTES],
  ['FETCH_HEAD', MAX_METADATA_BYTES],
  ['MERGE_HEAD', SMALL_FILE_BYTES],
  ['info/exclude', MAX_METADATA_BYTES],
  ['info/attributes', MAX_METADATA_BYTES],
  ['info/grafts', MAX_METADATA_BYTES],
  ['info/sparse-checkout', MAX_METADATA_BYTES]
]

export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`)
}

async function realOrNull(path: string): Promise<string | null> {
  try {
    return await realpath(path)
  } catch {
    return null
  }
}

async function readPointer(path: string): Promise<string | null> {
  try {
    const content = await readUntrustedFile(path, SMALL_FILE_BYTES)
    return content === null ? null : content.toString('utf8')
  } catch (error) {
    if (error instanceof UntrustedFileError) throw new GitLayoutError(error.message)
    throw error
  }
}

class LayoutCheck {
  private readonly allowedRoots: string[]

  constructor(
    private readonly workTree: string,
    trusted: string[],
    private readonly maxScanned: number
  ) {
    this.allowedRoots = [workTree, ...trusted]
  }

  /** `target` (relative to `base`) as a real directory inside an allowed root, or an error naming `what`. */
  async confinedDirectory(base: string, target: string, what: string): Promise<string> {
    const wanted = isAbsolute(target) ? target : resolve(base, target)
    const real = await realOrNull(wanted)
    if (real === null) throw new GitLayoutError(`${what} points at ${wanted}, which does not exist`)
    if (!this.allowedRoots.some((root) => isInside(root, real))) throw new GitLayoutError(`${what} points outside the repository, at ${real}`)
    const stats = await lstatOrNull(real)
    if (!stats?.isDirectory()) throw new GitLayoutError(`${what} points at ${real}, which is not a directory`)
    return real
  }

  async gitDirOf(dotGit: string): Promise<string | null> {
    const stats = await lstatOrNull(dotGit)
    if (stats === null) return null
    if (stats.isSymbolicLink() || stats.isDirectory()) {
      const gitDir = await this.confinedDirectory(this.workTree, dotGit, `${dotGit}`)
      // An empty `.git` (no HEAD) is not a repository to git either.
      return (await lstatOrNull(join(gitDir, 'HEAD'))) === null ? null : gitDir
    }
    if (!stats.isFile()) throw new GitLayoutError(`${dotGit} is ${describeFileType(stats)}`)
    const text = (await readPointer(dotGit)) ?? ''
    const match = /^gitdir: (.+?)\r?\n?$/.exec(text)
    if (!match?.[1]) throw new GitLayoutError(`${dotGit} is a file but not a "gitdir: <path>" pointer`)
    return this.confinedDirectory(dirname(dotGit), match[1], `${dotGit} (gitdir)`)
  }

  async commonDirOf(gitDir: string): Promise<string> {
    const pointer = await readPointer(join(gitDir, 'commondir'))
    if (pointer === null) return gitDir
    const target = pointer.replace(/\r?\n$/, '')
    if (target.length === 0) return gitDir
    return this.confinedDirectory(gitDir, target, `${join(gitDir, 'commondir')}`)
  }

  async alternates(commonDir: string): Promise<void> {
    const objects = join(commonDir, 'objects')
    const file = join(objects, 'info', 'alternates')
    const text = await readPointer(file)
    if (text === null) return
    for (const line of text.split('\n')) {
      const entry = line.trim()
      if (entry.length === 0 || entry.startsWith('#')) continue
      if (entry.startsWith('"')) throw new GitLayoutError(`${file} holds a quoted path, which Tether does not follow`)
      await this.confinedDirectory(objects, entry, `${file}`)
    }
  }

  async boundedFiles(gitDir: string): Promise<void> {
    for (const [name, maxBytes] of BOUNDED_FILES) {
      try {
        await assertPlainFileOrAbsent(join(gitDir, name), maxBytes)
      } catch (error) {
        if (error instanceof UntrustedFileError) throw new GitLayoutError(error.message)
        throw error
      }
    }
  }

  /** Nothing under the git directory may be a FIFO, socket, device or symlink: git would block on or follow it. */
  async noSpecialFiles(gitDir: string): Promise<void> {
    let scanned = 0
    const pending = [gitDir]
    while (pending.length > 0 && scanned < this.maxScanned) {
      const dir = pending.pop() as string
      let entries: Dirent[]
      try {
        entries = await readdir(dir, { withFileTypes: true })
      } catch {
        continue
      }
      for (const entry of entries) {
        scanned++
        const path = join(dir, entry.name)
        if (entry.isDirectory()) {
          // Hooks never run (core.hooksPath=/dev/null).
          if (!(dir === gitDir && entry.name === 'hooks')) pending.push(path)
        } else if (!entry.isFile()) {
          const stats = await lstatOrNull(path)
          if (stats !== null && !stats.isFile() && !stats.isDirectory()) throw new GitLayoutError(`${path} is ${describeFileType(stats)}; git would block on or follow it`)
        }
      }
    }
  }
}

async function checkedRepository(workTree: string, dotGit: string, check: LayoutCheck): Promise<GitRepository | null> {
  const gitDir = await check.gitDirOf(dotGit)
  if (gitDir === null) return null
  const commonDir = await check.commonDirOf(gitDir)
  await check.alternates(commonDir)
  for (const dir of new Set([gitDir, commonDir])) {
    await check.boundedFiles(dir)
    await check.noSpecialFiles(dir)
  }
  return { workTree, gitDir, commonDir }
}

/**
 * The repository `path` belongs to (the nearest folder upwards with a `.git`), checked as above;
 * null when there is none. Throws GitLayoutError when the repository's layout is unsafe.
 */
export async function findGitRepository(path: string, options: GitRepositoryOptions = {}): Promise<GitRepository | null> {
  let dir = await realOrNull(path)
  if (dir === null) return null
  const trusted = (await Promise.all((options.trustedGitDirs ?? []).map(realOrNull))).filter((real): real is string => real !== null)
  for (;;) {
    const dotGit = join(dir, '.git')
    if ((await lstatOrNull(dotGit)) !== null) {
      const found = await checkedRepository(dir, dotGit, new LayoutCheck(dir, trusted, options.maxScannedEntries ?? DEFAULT_MAX_SCANNED))
      if (found !== null) return found
    }
    const parent = dirname(dir)
    if (parent === dir) return null
    dir = parent
  }
}

/** Like findGitRepository, but `workTree` itself must be the top of the repository. */
export async function openGitRepository(workTree: string, options: GitRepositoryOptions = {}): Promise<GitRepository> {
  const real = await realOrNull(workTree)
  if (real === null) throw new GitLayoutError(`${workTree} does not exist`)
  const trusted = (await Promise.all((options.trustedGitDirs ?? []).map(realOrNull))).filter((path): path is string => path !== null)
  const found = await checkedRepository(real, join(real, '.git'), new LayoutCheck(real, trusted, options.maxScannedEntries ?? DEFAULT_MAX_SCANNED))
  if (found === null) throw new GitLayoutError(`${real} is not the top of a git repository`)
  return found
}
