// Reads a file the repository provides (AGENTS.md, .mcp.json) the way hostile input must be read:
// never through a symlink, only a regular file, never blocking on a FIFO or a device, and never
// more than a fixed number of bytes, however large the file claims or turns out to be.
import { constants } from 'node:fs'
import { lstat, open } from 'node:fs/promises'

export type BoundedRead =
  | { kind: 'absent' }
  /** A symlink, directory, FIFO, socket or device: not read at all. */
  | { kind: 'refused'; reason: string }
  | { kind: 'read'; bytes: Buffer; size: number; truncated: boolean }

function describeType(stats: { isSymbolicLink(): boolean; isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (stats.isSymbolicLink()) return 'a symbolic link'
  if (stats.isDirectory()) return 'a directory'
  if (stats.isFIFO()) return 'a FIFO'
  if (stats.isSocket()) return 'a socket'
  return 'not a regular file'
}

/** Reads at most `maxBytes` of `path`; `size` is what the file held when it was opened. */
export async function readBounded(path: string, maxBytes: number): Promise<BoundedRead> {
  let before
  try {
    before = await lstat(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return { kind: 'absent' }
    throw error
  }
  if (!before.isFile()) return { kind: 'refused', reason: `${path} is ${describeType(before)}` }
  let handle
  try {
    // O_NOFOLLOW and O_NONBLOCK: a file swapped for a symlink or a FIFO after the lstat is refused, not followed or waited on.
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return { kind: 'absent' }
    if (code === 'ELOOP') return { kind: 'refused', reason: `${path} is a symbolic link` }
    throw error
  }
  try {
    const stats = await handle.stat()
    if (!stats.isFile()) return { kind: 'refused', reason: `${path} is ${describeType(stats)}` }
    const buffer = Buffer.alloc(Math.min(maxBytes, stats.size) + 1)
    let filled = 0
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    const truncated = filled > maxBytes || stats.size > maxBytes
    return { kind: 'read', bytes: buffer.subarray(0, Math.min(filled, maxBytes)), size: Math.max(stats.size, filled), truncated }
  } finally {
    await handle.close()
  }
}

/** UTF-8 text of a prefix, without a character cut in half at its end. */
export function decodePrefix(bytes: Buffer, truncated: boolean): string {
  let end = bytes.length
  if (truncated) {
    // Step back over continuation bytes to the start of the last character, and drop it if incomplete.
    let start = end - 1
    while (start > 0 && start > end - 4 && ((bytes[start] ?? 0) & 0xc0) === 0x80) start--
    const lead = bytes[start] ?? 0
    const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1
    if (start + length > end) end = start
  }
  return bytes.subarray(0, end).toString('utf8')
}
