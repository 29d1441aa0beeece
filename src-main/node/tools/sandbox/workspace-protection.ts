// Finds what must stay read-only inside a workspace before a sandbox starts: protected files
// that exist, every git directory in the workspace (the top one, nested repositories, submodule
// and worktree metadata) with what git executes or reads config from, and - where a protected
// location does not exist yet - a placeholder to mount over, so it cannot be created from inside.
// Repositories that appear during a run were made by the run: they are taken apart (their git
// directory renamed) before the next shell starts and when the run ends, so the person's own git
// never runs their config or hooks.
import { lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync, type Dirent, type Stats } from 'node:fs'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { readSmallFileSync } from '../../git/untrusted-file'
import { isWithin } from '../files/path-policy'
import { PLACEHOLDER_DIRECTORY_NAMES, PROTECTED_GIT_ENTRIES, PROTECTED_WORKSPACE_NAMES, type GitPlaceholder } from './protected-paths'

export interface Placeholder {
  path: string
  /** A file placeholder's content: it is removed only while it still holds exactly this. */
  content: string | null
}

export interface WorkspaceProtection {
  readOnly: string[]
  pinned: string[]
  /** Git directories inside the workspace: the file tools never write there. */
  gitDirectories: string[]
  /** Every `.git` entry and bare repository found in the workspace. */
  repositories: string[]
  /** Half-done operations whose continuation runs commands, as they were: path of the todo file to its content. */
  continuations: Record<string, string>
  /** Created here only to be mounted over; removed when the run ends. */
  placeholders: Placeholder[]
}

export interface ProtectionOptions {
  /** The person's own git config files: a relative `core.hooksPath` there names a folder in every repository. */
  personConfigFiles?: readonly string[]
  /** At most this many directory entries are looked at for nested repositories (default 1,000,000). */
  maxScannedEntries?: number
}

const DEFAULT_MAX_SCANNED = 1_000_000
const CONFIG_BYTES = 1024 * 1024
const POINTER_BYTES = 64 * 1024
const QUARANTINE_SUFFIX = '.made-by-tether-run'

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

/**
 * A bare repository: git would use it when run inside it. Judged as loosely as git does: HEAD may
 * be a symlink, and `objects` and `refs` need only pass an access check (an executable file will).
 */
function isBareRepository(path: string): boolean {
  return ['HEAD', 'objects', 'refs'].every((name) => lstatOrNull(join(path, name)) !== null)
}

/** Every `.git` entry and bare repository under `workspace`, without following symlinks. */
export function findRepositories(workspace: string, maxScanned = DEFAULT_MAX_SCANNED): string[] {
  const found: string[] = []
  const pending = [workspace]
  let scanned = 0
  while (pending.length > 0 && scanned < maxScanned) {
    const dir = pending.pop() as string
    let entries: Dirent[]
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      continue
    }
    scanned += entries.length
    if (dir !== workspace && entries.some((entry) => entry.name === 'HEAD') && isBareRepository(dir)) {
      found.push(dir)
      continue
    }
    for (const entry of entries) {
      const path = join(dir, entry.name)
      if (entry.name === '.git') {
        // An empty `.git` folder (such as the placeholder of a workspace outside git) is no repository to git.
        if (!entry.isDirectory() || isGitDirectory(path)) found.push(path)
      } else if (entry.isDirectory()) pending.push(path)
    }
  }
  return found.sort()
}

class ProtectionBuilder {
  readonly result: WorkspaceProtection = { readOnly: [], pinned: [], gitDirectories: [], repositories: [], continuations: {}, placeholders: [] }
  private readonly workspace: string

  constructor(workspace: string) {
    this.workspace = workspace
  }

  readOnly(path: string): void {
    if (!this.result.readOnly.includes(path)) this.result.readOnly.push(path)
  }

  placeholder(path: string, kind: GitPlaceholder = { kind: 'directory' }): void {
    if (kind.kind === 'directory') mkdirSync(path, { mode: 0o755 })
    else writeFileSync(path, kind.content, { mode: 0o644, flag: 'wx' })
    this.result.placeholders.push({ path, content: kind.kind === 'file' ? kind.content : null })
    this.readOnly(path)
  }

  /** What git executes or reads config from: read-only; the directory itself pinned so it cannot be swapped for a decoy. */
  gitDirectory(path: string): void {
    if (!isWithin(this.workspace, path) || this.result.gitDirectories.includes(path)) return
    this.result.gitDirectories.push(path)
    this.result.pinned.push(path)
    for (const [name, placeholder] of PROTECTED_GIT_ENTRIES) {
      const protectedPath = join(path, name)
      const stats = lstatOrNull(protectedPath)
      if (stats === null) {
        if (isDirectory(dirname(protectedPath))) this.placeholder(protectedPath, placeholder)
        continue
      }
      const real = stats.isSymbolicLink() ? realOrNull(protectedPath) : protectedPath
      if (real !== null) this.readOnly(real)
    }
    this.hooksPath(path)
    // Config, hooks and the rest come from the common directory when `commondir` names one.
    const common = readSmallFileSync(join(path, 'commondir'), POINTER_BYTES)?.trim()
    const commonDir = common && common !== '.' ? realOrNull(resolve(path, common)) : null
    if (commonDir !== null) this.gitDirectory(commonDir)
  }

  /** `core.hooksPath` (husky and friends) moves the hooks into the work tree; a missing one gets a placeholder. */
  hooksPath(gitDir: string): void {
    this.hooksPathIn(join(gitDir, 'config'))
  }

  /** The hook folders a config file names, relative ones taken inside the workspace. */
  hooksPathIn(configFile: string): void {
    const config = readSmallFileSync(configFile, CONFIG_BYTES)
    if (config === null) return
    for (const match of config.matchAll(/^\s*hookspath\s*=\s*"?(.+?)"?\s*$/gim)) {
      const wanted = resolve(this.workspace, match[1] ?? '')
      if (!isWithin(this.workspace, wanted) || wanted === this.workspace) continue
      const real = realOrNull(wanted)
      if (real === null) {
        if (isDirectory(dirname(wanted)) && isWithin(this.workspace, realOrNull(dirname(wanted)) ?? '/')) this.placeholder(wanted)
        continue
      }
      if (!isWithin(this.workspace, real) || real === this.workspace) continue
      this.readOnly(real)
      // husky's `.husky/_` hooks run the scripts one level up.
      if (basename(real) === '_' && dirname(real) !== this.workspace) this.readOnly(dirname(real))
    }
  }

  /** `.git` as a file (worktrees, submodules) points at the real git directory, and at its common directory. */
  gitFile(path: string): void {
    this.readOnly(path)
    const text = readSmallFileSync(path, POINTER_BYTES) ?? ''
    const match = /^gitdir:\s*(.+?)\s*$/m.exec(text)
    if (!match?.[1]) return
    const gitDir = realOrNull(resolve(dirname(path), match[1]))
    if (gitDir !== null) this.gitDirectory(gitDir)
  }

  dotGit(path: string, top: boolean): void {
    const stats = lstatOrNull(path)
    if (stats === null) {
      // Not a repository: a `.git` created from inside could carry hooks that run outside.
      if (top) this.placeholder(path)
      return
    }
    if (stats.isSymbolicLink()) {
      const real = realOrNull(path)
      if (real !== null && isDirectory(real)) this.gitDirectory(real)
      this.readOnly(path)
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
        if (PLACEHOLDER_DIRECTORY_NAMES.has(name)) this.placeholder(path)
        continue
      }
      const real = stats.isSymbolicLink() ? realOrNull(path) : path
      if (real !== null && isWithin(this.workspace, real)) this.readOnly(real)
    }
  }

  nested(repositories: readonly string[]): void {
    this.result.repositories = [...repositories]
    for (const path of repositories) {
      if (path === join(this.workspace, '.git')) continue
      if (basename(path) === '.git') this.dotGit(path, false)
      else this.gitDirectory(path)
    }
  }
}

export function protectWorkspace(workspace: string, options: ProtectionOptions = {}): WorkspaceProtection {
  const builder = new ProtectionBuilder(workspace)
  const repositories = findRepositories(workspace, options.maxScannedEntries)
  builder.dotGit(join(workspace, '.git'), true)
  for (const file of options.personConfigFiles ?? []) builder.hooksPathIn(file)
  builder.nested(repositories)
  builder.names()
  builder.result.continuations = continuationsIn(builder.result.gitDirectories)
  return builder.result
}

/**
 * Files git reads when the person continues a rebase, cherry-pick or revert, with what in them
 * runs a program: `exec` lines in the todo list, and a merge strategy that is not one of git's
 * own (git runs `git-merge-<strategy>`, and a strategy with a `/` is a path into the work tree).
 */
const CONTINUATION_FILES = [
  ['rebase-merge', 'git-rebase-todo'],
  ['rebase-merge', 'strategy'],
  ['sequencer', 'todo'],
  ['sequencer', 'opts']
] as const

const EXEC_LINE = /^\s*(x|exec)\s/m
const BUILTIN_STRATEGIES: ReadonlySet<string> = new Set(['ort', 'recursive', 'resolve', 'octopus', 'ours', 'subtree'])

function runsAProgram(file: string, text: string): boolean {
  if (file === 'strategy') return !BUILTIN_STRATEGIES.has(text.trim())
  if (file === 'opts') return [...text.matchAll(/^\s*strategy\s*=\s*"?(.*?)"?\s*$/gim)].some((match) => !BUILTIN_STRATEGIES.has(match[1] ?? ''))
  return EXEC_LINE.test(text)
}

function continuationsIn(gitDirectories: readonly string[]): Record<string, string> {
  const found: Record<string, string> = {}
  for (const gitDir of gitDirectories) {
    for (const [folder, file] of CONTINUATION_FILES) {
      const text = readSmallFileSync(join(gitDir, folder, file), CONFIG_BYTES)
      if (text !== null) found[join(gitDir, folder, file)] = text
    }
  }
  return found
}

/**
 * Sets aside what a run left half done for the person to continue, when continuing it would run
 * a program that was not there when the run began (`exec` lines, a merge strategy that is not
 * git's own): the folder is renamed to `<folder>.made-by-tether-run`. Returns what it renamed,
 * relative to `workspace`.
 */
export function disarmNewContinuations(workspace: string, gitDirectories: readonly string[], before: Readonly<Record<string, string>>): string[] {
  const disarmed: string[] = []
  for (const [path, text] of Object.entries(continuationsIn(gitDirectories))) {
    if (before[path] === text || !runsAProgram(basename(path), text)) continue
    const folder = dirname(path)
    try {
      renameSync(folder, `${folder}${QUARANTINE_SUFFIX}`)
      disarmed.push(relative(workspace, folder))
    } catch {
      // Gone in the meantime, or already set aside for another of its files.
    }
  }
  return disarmed
}

/**
 * Takes apart the repositories that were not there when the run started (`known`): their HEAD
 * is renamed to `HEAD.made-by-tether-run` and a `.git` to `.git.made-by-tether-run`, so git no
 * longer recognises them. Returns the workspace-relative paths it renamed.
 */
export function disarmNewRepositories(workspace: string, known: readonly string[], options: ProtectionOptions = {}): string[] {
  const knownSet = new Set(known)
  const disarmed: string[] = []
  for (const path of findRepositories(workspace, options.maxScannedEntries)) {
    if (knownSet.has(path)) continue
    // Without HEAD a folder is no repository to git, under any name; a `.git` is renamed as well.
    const targets = basename(path) !== '.git' ? [join(path, 'HEAD')] : lstatOrNull(path)?.isDirectory() ? [join(path, 'HEAD'), path] : [path]
    try {
      for (const target of targets) renameSync(target, `${target}${QUARANTINE_SUFFIX}`)
      disarmed.push(relative(workspace, targets.at(-1) as string))
    } catch {
      // Gone in the meantime: nothing git could use is left.
    }
  }
  return disarmed
}

/** Removes placeholders that are still as they were made; call only once no sandbox uses them. */
export function removePlaceholders(placeholders: readonly Placeholder[]): void {
  for (const { path, content } of [...placeholders].reverse()) {
    try {
      if (content === null) rmdirSync(path)
      else if (readSmallFileSync(path, content.length + 1) === content) unlinkSync(path)
    } catch {
      // Not empty, changed or already gone: it is no longer only ours to remove.
    }
  }
}
