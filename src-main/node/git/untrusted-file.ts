// Reading a file that a hostile repository may have planted: never follow a symlink, never block
// on a FIFO or a device (open is non-blocking and the type is checked on the open descriptor), and
// never read more than asked, so a 1 TB sparse file or a pipe costs nothing.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs'
import { lstat, open } from 'node:fs/promises'

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY

export class UntrustedFileError extends Error {}

export function describeFileType(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO'
  if (stats.isSocket()) return 'a socket'
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device'
  if (stats.isSymbolicLink()) return 'a symbolic link'
  if (stats.isDirectory()) return 'a directory'
  return 'not a regular file'
}

/** True when most of the file's length is holes: reading it would expand bytes that are not on disk. */
export function isSparse(stats: Stats): boolean {
  return stats.size > 1024 * 1024 && stats.blocks * 512 < stats.size / 4
}

/** The lstat of `path`, or null when nothing is there. */
export async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null
    throw error
  }
}

/** Throws unless `path` is absent or a plain regular file of at most `maxBytes` that is not sparse. */
export async function assertPlainFileOrAbsent(path: string, maxBytes: number): Promise<Stats | null> {
  const stats = await lstatOrNull(path)
  if (stats === null) return null
  if (!stats.isFile()) throw new UntrustedFileError(`${path} is ${describeFileType(stats)}, not a regular file`)
  if (stats.size > maxBytes) throw new UntrustedFileError(`${path} is ${stats.size} bytes, more than the ${maxBytes} allowed`)
  if (isSparse(stats)) throw new UntrustedFileError(`${path} is a sparse file (${stats.size} bytes, most of them holes)`)
  return stats
}

/** The content of a regular file of at most `maxBytes`, or null when it does not exist. */
export async function readUntrustedFile(path: string, maxBytes: number): Promise<Buffer | null> {
  let handle
  try {
    handle = await open(path, OPEN_FLAGS)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return null
    if (code === 'ELOOP') throw new UntrustedFileError(`${path} is a symbolic link`)
    throw error
  }
  try {
    const stats = await handle.stat()
    if (!stats.isFile()) throw new UntrustedFileError(`${path} is ${describeFileType(stats)}, not a regular file`)
    if (stats.size > maxBytes) throw new UntrustedFileError(`${path} is ${stats.size} bytes, more than the ${maxBytes} allowed`)
    const buffer = Buffer.alloc(Math.min(stats.size, maxBytes) + 1)
    let length = 0
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length)
      if (bytesRead === 0) break
      length += bytesRead
    }
    if (length > maxBytes) throw new UntrustedFileError(`${path} grew past the ${maxBytes} bytes allowed while it was read`)
    return buffer.subarray(0, length)
  } finally {
    await handle.close()
  }
}

/** Copies a regular file of at most `maxBytes` to `destination`; false when the source does not exist. */
export async function copyUntrustedFile(source: string, destination: string, maxBytes: number): Promise<boolean> {
  let input
  try {
    input = await open(source, OPEN_FLAGS)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return false
    if (code === 'ELOOP') throw new UntrustedFileError(`${source} is a symbolic link`)
    throw error
  }
  try {
    const stats = await input.stat()
    if (!stats.isFile()) throw new UntrustedFileError(`${source} is ${describeFileType(stats)}, not a regular file`)
    if (stats.size > maxBytes) throw new UntrustedFileError(`${source} is ${stats.size} bytes, more than the ${maxBytes} allowed`)
    if (isSparse(stats)) throw new UntrustedFileError(`${source} is a sparse file (${stats.size} bytes, most of them holes)`)
    const output = await open(destination, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)
    try {
      const buffer = Buffer.alloc(Math.min(1024 * 1024, Math.max(1, stats.size)))
      let copied = 0
      for (;;) {
        const { bytesRead } = await input.read(buffer, 0, buffer.length, copied)
        if (bytesRead === 0) break
        copied += bytesRead
        if (copied > maxBytes) throw new UntrustedFileError(`${source} grew past the ${maxBytes} bytes allowed while it was copied`)
        await output.write(buffer, 0, bytesRead)
      }
    } finally {
      await output.close()
    }
    return true
  } finally {
    await input.close()
  }
}

/** `readUntrustedFile` for code that must stay synchronous; null when missing or not a small regular file. */
export function readSmallFileSync(path: string, maxBytes: number): string | null {
  let fd: number
  try {
    fd = openSync(path, OPEN_FLAGS)
  } catch {
    return null
  }
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile() || stats.size > maxBytes) return null
    const buffer = Buffer.alloc(stats.size)
    let length = 0
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, length)
      if (read === 0) break
      length += read
    }
    return buffer.subarray(0, length).toString('utf8')
  } finally {
    closeSync(fd)
  }
}
