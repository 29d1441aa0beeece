// File access that cannot be redirected out of the workspace, even by a process that swaps
// symlinks while we work: every object is opened first and its real path checked afterwards
// (through /proc/self/fd), and writes go to a fresh file renamed into place, so neither a
// symlink nor a hard link in the target's place is ever written through.
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeSync,
  type Dirent,
  type Stats
} from 'node:fs'
import { basename, dirname, join, relative, sep } from 'node:path'
import { checkReadable, checkWritable, FileToolError, lexicalPath, type PathPolicy } from './path-policy'

const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY
const DIRECTORY_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY
const MAX_SYMLINK_HOPS = 8

function fdPath(fd: number, name?: string): string {
  return name === undefined ? `/proc/self/fd/${fd}` : `/proc/self/fd/${fd}/${name}`
}

/** The real path of an open file descriptor. */
function realPathOf(fd: number): string {
  return readlinkSync(fdPath(fd))
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code
}

function describeFsError(input: string, error: unknown): FileToolError {
  switch (errorCode(error)) {
    case 'ENOENT':
      return new FileToolError(`${input} does not exist`)
    case 'ENOTDIR':
      return new FileToolError(`${input}: a part of the path is not a directory`)
    case 'EACCES':
    case 'EPERM':
      return new FileToolError(`${input}: permission denied`)
    case 'ELOOP':
      return new FileToolError(`${input}: too many levels of symbolic links`)
    case 'EISDIR':
      return new FileToolError(`${input} is a directory`)
    default:
      return new FileToolError(`${input}: ${(error as Error).message}`)
  }
}

function realPathFor(policy: PathPolicy, input: string): string {
  try {
    return realpathSync(lexicalPath(policy, input))
  } catch (error) {
    if (error instanceof FileToolError) throw error
    throw describeFsError(input, error)
  }
}

export interface OpenedFile {
  fd: number
  real: string
  stats: Stats
}

/** Opens a regular file for reading, confined to the workspace. The caller closes `fd`. */
export function openFileForRead(policy: PathPolicy, input: string): OpenedFile {
  const real = realPathFor(policy, input)
  checkReadable(policy, input, real)
  let fd: number
  try {
    fd = openSync(real, READ_FLAGS)
  } catch (error) {
    throw describeFsError(input, error)
  }
  try {
    const opened = realPathOf(fd)
    checkReadable(policy, input, opened)
    const stats = fstatSync(fd)
    if (stats.isDirectory()) throw new FileToolError(`${input} is a directory; use list_dir`)
    if (!stats.isFile()) throw new FileToolError(`${input} is not a regular file`)
    return { fd, real: opened, stats }
  } catch (error) {
    closeSync(fd)
    throw error
  }
}

/** Reads a whole opened file up to `maxBytes`. */
export function readOpened(file: OpenedFile, maxBytes: number): Buffer {
  const size = Math.min(file.stats.size, maxBytes)
  const buffer = Buffer.alloc(size)
  let offset = 0
  while (offset < size) {
    const read = readSync(file.fd, buffer, offset, size - offset, offset)
    if (read === 0) break
    offset += read
  }
  return buffer.subarray(0, offset)
}

export interface DirectoryEntry {
  name: string
  type: 'file' | 'directory' | 'symlink' | 'other'
  /** For symlinks: where they point (as written in the link). */
  target: string | null
}

function entryType(entry: Dirent): DirectoryEntry['type'] {
  if (entry.isDirectory()) return 'directory'
  if (entry.isSymbolicLink()) return 'symlink'
  if (entry.isFile()) return 'file'
  return 'other'
}

export function listDirectory(policy: PathPolicy, input: string): { real: string; entries: DirectoryEntry[] } {
  const real = realPathFor(policy, input)
  checkReadable(policy, input, real)
  let fd: number
  try {
    fd = openSync(real, DIRECTORY_FLAGS)
  } catch (error) {
    if (errorCode(error) === 'ENOTDIR') throw new FileToolError(`${input} is not a directory; use read_file`)
    throw describeFsError(input, error)
  }
  try {
    const opened = realPathOf(fd)
    checkReadable(policy, input, opened)
    const entries = readdirSync(fdPath(fd), { withFileTypes: true }).map((entry): DirectoryEntry => {
      const type = entryType(entry)
      let target: string | null = null
      if (type === 'symlink') {
        try {
          target = readlinkSync(fdPath(fd, entry.name))
        } catch {
          target = null
        }
      }
      return { name: entry.name, type, target }
    })
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    return { real: opened, entries }
  } finally {
    closeSync(fd)
  }
}

/** Opens (creating when asked) each directory from the workspace down to `directory`, checking every step. */
function openDirectoryChain(policy: PathPolicy, input: string, directory: string, create: boolean): number {
  const parts = relative(policy.workspace, directory).split(sep).filter((part) => part.length > 0)
  let fd = openSync(policy.workspace, DIRECTORY_FLAGS)
  try {
    checkReadable(policy, input, realPathOf(fd))
    for (const part of parts) {
      let next: number
      try {
        next = openSync(fdPath(fd, part), DIRECTORY_FLAGS)
      } catch (error) {
        if (errorCode(error) !== 'ENOENT' || !create) throw describeFsError(input, error)
        const created = join(realPathOf(fd), part)
        checkWritable(policy, input, created)
        mkdirSync(fdPath(fd, part), 0o755)
        next = openSync(fdPath(fd, part), DIRECTORY_FLAGS | constants.O_NOFOLLOW)
      }
      closeSync(fd)
      fd = next
      checkReadable(policy, input, realPathOf(fd))
    }
    return fd
  } catch (error) {
    closeSync(fd)
    throw error
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path)
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null
    throw error
  }
}

/** Replaces (or creates) a file with `content`; returns its real path and whether it existed. */
export function writeFileConfined(policy: PathPolicy, input: string, content: string | Buffer): { real: string; created: boolean } {
  let target = lexicalPath(policy, input)
  // Refuse what is refused by name before creating any directory on the way.
  checkWritable(policy, input, target)
  for (let hop = 0; hop <= MAX_SYMLINK_HOPS; hop++) {
    const dirFd = openDirectoryChain(policy, input, dirname(target), true)
    try {
      const name = basename(target)
      const real = join(realPathOf(dirFd), name)
      const existing = lstatOrNull(fdPath(dirFd, name))
      if (existing?.isSymbolicLink()) {
        // Write the file the link points to (if it is inside the workspace), never through the link.
        let resolved: string
        try {
          resolved = realpathSync(fdPath(dirFd, name))
        } catch {
          throw new FileToolError(`${input} is a symbolic link whose target does not exist`)
        }
        checkWritable(policy, input, resolved)
        target = resolved
        continue
      }
      if (existing?.isDirectory()) throw new FileToolError(`${input} is a directory`)
      if (existing !== null && !existing.isFile()) throw new FileToolError(`${input} is not a regular file`)
      checkWritable(policy, input, real)
      replaceFile(dirFd, name, content, existing === null ? 0o644 : existing.mode & 0o777)
      return { real, created: existing === null }
    } catch (error) {
      if (error instanceof FileToolError) throw error
      throw describeFsError(input, error)
    } finally {
      closeSync(dirFd)
    }
  }
  throw new FileToolError(`${input}: too many levels of symbolic links`)
}

function replaceFile(dirFd: number, name: string, content: string | Buffer, mode: number): void {
  const temporary = `.${name.slice(0, 200)}.tether-${randomBytes(6).toString('hex')}`
  const fd = openSync(fdPath(dirFd, temporary), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600)
  let open = true
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content
    let offset = 0
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset)
    fchmodSync(fd, mode)
    closeSync(fd)
    open = false
    renameSync(fdPath(dirFd, temporary), fdPath(dirFd, name))
  } catch (error) {
    if (open) closeSync(fd)
    try {
      unlinkSync(fdPath(dirFd, temporary))
    } catch {
      // Nothing to clean up: the temporary file was never created or is already gone.
    }
    throw error
  }
}

/** Resolves a path that must exist (file or directory) inside the workspace, for searching. */
export function existingPathForRead(policy: PathPolicy, input: string): string {
  const real = realPathFor(policy, input)
  checkReadable(policy, input, real)
  return real
}
