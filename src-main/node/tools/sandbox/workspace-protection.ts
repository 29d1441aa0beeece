// Finds what must stay read-only inside a workspace before a sandbox starts: protected files
// that exist, git directories (their hooks and config), and - where a protected location does
// not exist yet - an empty placeholder directory to mount over, so it cannot be created from inside.
import { lstatSync, mkdirSync, readFileSync, realpathSync, rmdirSync, statSync, type Stats } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { isWithin } from '../files/path-policy'
import { PROTECTED_GIT_NAMES, PROTECTED_WORKSPACE_DIRECTORIES, PROTECTED_WORKSPACE_NAMES } from './protected-paths'

export interface WorkspaceProtection {
  readOnly: string[]
  pinned: string[]
  /** Git directories inside the workspace: the file tools never write there. */
  gitDirectories: string[]
  /** Empty directories created here only to be mounted over; removed when the run ends. */
  placeholders: string[]
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path)
  } catch {
    return null
  }
}

function realOrNull(path: string): string | null {
  try {
    return realpathSync(path)
  } catch {
    return null
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/** A directory git would accept as a repository (an empty `.git` is ignored by git). */
function isGitDirectory(path: string): boolean {
  return lstatOrNull(join(path, 'HEAD')) !== null
}

class ProtectionBuilder {
  readonly result: WorkspaceProtection = { readOnly: [], pinned: [], gitDirectories: [], placeholders: [] }
  private readonly workspace: string

  constructor(workspace: string) {
    this.workspace = workspace
  }

  readOnly(path: string): void {
    if (!this.result.readOnly.includes(path)) this.result.readOnly.push(path)
  }

  placeholder(path: string): void {
    mkdirSync(path, { mode: 0o755 })
    this.result.placeholders.push(path)
    this.readOnly(path)
  }

  /** Hooks and config read-only; the directory itself pinned so it cannot be swapped for a decoy. */
  gitDirectory(path: string): void {
    if (!isWithin(this.workspace, path) || this.result.gitDirectories.includes(path)) return
    this.result.gitDirectories.push(path)
    this.result.pinned.push(path)
    for (const name of PROTECTED_GIT_NAMES) {
      const protectedPath = join(path, name)
      const stats = lstatOrNull(protectedPath)
      if (stats === null) {
        if (name === 'hooks') this.placeholder(protectedPath)
        continue
      }
      const real = stats.isSymbolicLink() ? realOrNull(protectedPath) : protectedPath
      if (real !== null) this.readOnly(real)
    }
    this.hooksPath(path)
  }

  /** `core.hooksPath` (husky and friends) moves the hooks into the work tree. */
  hooksPath(gitDir: string): void {
    let config: string
    try {
      config = readFileSync(join(gitDir, 'config'), 'utf8')
    } catch {
      return
    }
    for (const match of config.matchAll(/^\s*hookspath\s*=\s*"?(.+?)"?\s*$/gim)) {
      const real = realOrNull(resolve(this.workspace, match[1] ?? ''))
      if (real !== null && isWithin(this.workspace, real) && real !== this.workspace) this.readOnly(real)
    }
  }

  /** `.git` as a file (worktrees, submodules) points at the real git directory, and at its common directory. */
  gitFile(path: string): void {
    this.readOnly(path)
    const match = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(path, 'utf8'))
    if (!match?.[1]) return
    const gitDir = realOrNull(resolve(dirname(path), match[1]))
    if (gitDir === null) return
    this.gitDirectory(gitDir)
    const common = lstatOrNull(join(gitDir, 'commondir')) ? realOrNull(resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim())) : null
    if (common !== null) this.gitDirectory(common)
  }

  dotGit(): void {
    const path = join(this.workspace, '.git')
    const stats = lstatOrNull(path)
    if (stats === null) {
      // Not a repository: a `.git` created from inside could carry hooks that run outside.
      this.placeholder(path)
      return
    }
    if (stats.isSymbolicLink()) {
      const real = realOrNull(path)
      if (real !== null && isDirectory(real)) this.gitDirectory(real)
      return
    }
    if (stats.isFile()) {
      this.gitFile(path)
      return
    }
    if (stats.isDirectory()) {
      if (isGitDirectory(path)) this.gitDirectory(path)
      else this.readOnly(path)
    }
  }

  names(): void {
    for (const name of PROTECTED_WORKSPACE_NAMES) {
      const path = join(this.workspace, name)
      const stats = lstatOrNull(path)
      if (stats === null) {
        // Missing files stay creatable (a placeholder file would show up in `git status`); an empty directory does not.
        if (PROTECTED_WORKSPACE_DIRECTORIES.has(name)) this.placeholder(path)
        continue
      }
      const real = stats.isSymbolicLink() ? realOrNull(path) : path
      if (real !== null && isWithin(this.workspace, real)) this.readOnly(real)
    }
  }
}

export function protectWorkspace(workspace: string): WorkspaceProtection {
  const builder = new ProtectionBuilder(workspace)
  builder.dotGit()
  builder.names()
  return builder.result
}

/** Removes placeholders that are still empty; call only once no sandbox uses them. */
export function removePlaceholders(placeholders: string[]): void {
  for (const path of [...placeholders].reverse()) {
    try {
      rmdirSync(path)
    } catch {
      // Not empty or already gone: it is no longer only ours to remove.
    }
  }
}
