// Where a path written in a command points, relative to the workspace: resolved through `~`,
// `$HOME`, `$PWD`, `..` and symlinks before anything is decided about it.
import { lstatSync, realpathSync, statSync } from 'node:fs'
import { posix } from 'node:path'
import type { ShellWord } from './shell-syntax'
import { HOME_MARK, PWD_MARK, UNKNOWN } from './shell-syntax'
import { hasBraceExpansion } from './shell-words'
import { homeWriteReason, secretReason, workspaceWriteReason } from './sensitive-paths'

export interface PathEnvironment {
  /** Real path of the workspace. */
  workspace: string
  /** Real path of the home directory. */
  home: string
  /** Tether's data dir (its rules and settings live there), real path when it exists. */
  dataDir: string | null
  /** Directories whose contents are scratch space (`/tmp`, the OS temp dir). */
  tempDirs: string[]
  /** Resolves symlinks of an absolute path; the default follows the file system. */
  realpath: (path: string) => string
  /** The size of the file at an absolute path, null when there is none (a truncating write there loses nothing). */
  sizeOf: (path: string) => number | null
  /**
   * Words already resolved, for an environment that stands for one moment of the file system (one
   * classification): each check of a command resolves the same words again, and a path resolves the
   * same way within that moment.
   */
  references?: Map<string, PathReference | null>
}

export type PathScope =
  | 'root'
  /** The home directory, an ancestor of the workspace, or the workspace itself. */
  | 'home'
  | 'workspace-ancestor'
  | 'workspace'
  | 'inside'
  | 'temp'
  | 'outside'

export interface ResolvedPath {
  path: string
  scope: PathScope
  /** Why writing here is never routine (`.git/`, hooks, shell start-up files, editor tasks, devices, ...), or null. */
  protectedBecause: string | null
  /** Why reading here discloses secrets (keys, tokens, `.env`, Tether's data), or null. */
  secretBecause: string | null
  /** The repository's `.git` directory, or a directory containing it. */
  holdsGitDir: boolean
}

/**
 * Follows symlinks of the longest existing prefix; the missing rest is appended as written.
 * Missing components are found with `lstat` (no exception thrown per component: this runs for
 * every word of every command).
 */
export function realpathOfExistingPrefix(path: string): string {
  let prefix = path
  const missing: string[] = []
  for (;;) {
    if (exists(prefix)) {
      try {
        const real = realpathSync.native(prefix)
        return missing.length === 0 ? real : posix.join(real, ...[...missing].reverse())
      } catch {
        // A dangling or looping symlink: resolve its directory instead.
      }
    }
    const parent = posix.dirname(prefix)
    if (parent === prefix) return path
    missing.push(posix.basename(prefix))
    prefix = parent
  }
}

function exists(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined
  } catch {
    return false
  }
}

/** Never opens the file, so a FIFO or a device costs nothing. */
function sizeOfFile(path: string): number | null {
  try {
    const info = statSync(path, { throwIfNoEntry: false })
    return info?.isFile() ? info.size : null
  } catch {
    return null
  }
}

export function defaultPathEnvironment(options: { workspace: string; home: string; dataDir: string | null; tempDirs: string[] }): PathEnvironment {
  const real = (path: string): string => realpathOfExistingPrefix(posix.resolve(path))
  return {
    workspace: real(options.workspace),
    home: real(options.home),
    dataDir: options.dataDir === null ? null : real(options.dataDir),
    tempDirs: [...new Set(options.tempDirs.map(real))],
    realpath: realpathOfExistingPrefix,
    sizeOf: sizeOfFile
  }
}

function within(path: string, directory: string): boolean {
  return path === directory || path.startsWith(directory === '/' ? '/' : `${directory}/`)
}

function strictlyWithin(path: string, directory: string): boolean {
  return path !== directory && within(path, directory)
}

const BENIGN_DEVICES = /^\/dev\/(null|zero|full|random|urandom|tty|stdin|stdout|stderr|fd\/\d+|pts\/\d+)$/
const SYSTEM_DIRS = ['/etc', '/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/boot', '/sys', '/proc', '/opt', '/var/lib', '/var/spool', '/Library', '/System']

export function classifyPath(path: string, environment: PathEnvironment): ResolvedPath {
  const { workspace, home } = environment
  const gitDir = posix.join(workspace, '.git')
  const holdsGitDir = within(gitDir, path)
  const secretBecause = secretReason(path, home, environment.dataDir)
  const result = (scope: PathScope, protectedBecause: string | null = null): ResolvedPath => ({ path, scope, protectedBecause, secretBecause, holdsGitDir })
  if (path.startsWith('/dev/')) return result('outside', BENIGN_DEVICES.test(path) ? null : 'it is a device')
  if (path === '/') return result('root', 'it is the root directory')
  if (path === workspace) return result('workspace')
  if (strictlyWithin(workspace, path)) return result(path === home ? 'home' : 'workspace-ancestor')
  if (path === home) return result('home')
  if (environment.dataDir !== null && within(path, environment.dataDir)) return result('outside', "it is Tether's own data (keys, rules and settings)")
  if (strictlyWithin(path, workspace)) return result('inside', workspaceWriteReason(posix.relative(workspace, path)))
  // Before the temp dirs: a home directory under /tmp (CI, tests) keeps its start-up files protected.
  if (strictlyWithin(path, home)) {
    const reason = homeWriteReason(posix.relative(home, path))
    if (reason) return result('outside', reason)
  }
  if (environment.tempDirs.some((temp) => strictlyWithin(path, temp))) return result('temp')
  const system = SYSTEM_DIRS.find((directory) => within(path, directory))
  if (system) return result('outside', `${system} belongs to the system`)
  return result('outside')
}

export interface PathReference {
  /** The directory part that is fixed, resolved; for a glob, the directory it expands in. */
  resolved: ResolvedPath
  /** For a glob: the first pattern component (`*`, `*.o`); null for a plain path. */
  pattern: string | null
}

/**
 * Resolves a word naming a path. `cwd` is the shell's directory (null when a `cd` made it unknown);
 * `followLast` follows a symlink in the last component (chmod does, rm does not).
 * Returns null when the path is only known at run time.
 */
export function resolvePathWord(word: ShellWord, cwd: string | null, environment: PathEnvironment, followLast = true): PathReference | null {
  const known = environment.references
  if (!known) return resolveWord(word, cwd, environment, followLast)
  // No path holds a NUL: an unknown directory cannot pass for a known one, nor a directory run into the word.
  const key = `${followLast ? 'f' : 'l'}${word.glob ? 'g' : 'p'}${cwd ?? '\u0000'}\u0000${word.value}`
  let reference = known.get(key)
  if (reference === undefined) {
    reference = resolveWord(word, cwd, environment, followLast)
    known.set(key, reference)
  }
  return reference
}

function resolveWord(word: ShellWord, cwd: string | null, environment: PathEnvironment, followLast: boolean): PathReference | null {
  let text = word.value
  if (text.length === 0) return null
  if (text.startsWith(HOME_MARK)) text = environment.home + text.slice(1)
  else if (text.startsWith(PWD_MARK)) {
    if (cwd === null) return null
    text = cwd + text.slice(1)
  }
  if (text.includes(UNKNOWN) || text.includes(HOME_MARK) || text.includes(PWD_MARK)) return null
  if (!text.startsWith('/')) {
    if (cwd === null) return null
    text = posix.join(cwd, text)
  }
  let pattern: string | null = null
  if (word.glob && hasBraceExpansion(text)) return null
  if (word.glob) {
    const components = text.split('/')
    const first = components.findIndex((component) => /[*?[{]/.test(component))
    if (first === -1) return null
    pattern = components[first] ?? null
    text = components.slice(0, first).join('/') || '/'
  }
  const trailingSlash = text.endsWith('/') && text !== '/'
  const normalized = posix.resolve(text)
  const real =
    followLast || trailingSlash || pattern !== null || normalized === '/'
      ? environment.realpath(normalized)
      : posix.join(environment.realpath(posix.dirname(normalized)), posix.basename(normalized))
  return { resolved: classifyPath(real, environment), pattern }
}
