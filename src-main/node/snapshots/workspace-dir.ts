// The one way Tether reaches a path inside a workspace it reads or writes: folder by folder from
// the root, each folder opened without following a link (O_PATH | O_DIRECTORY | O_NOFOLLOW), and
// every operation named relative to the open folder (`/proc/self/fd/N/name`, Linux's openat for
// Node). A folder swapped for a link at any depth, before or during the walk, is refused, never
// followed, so nothing outside the workspace is read or written however a run arranges its links.
//
// Names are strings; a file name that is not valid UTF-8 is carried with each undecodable byte
// as a lone surrogate U+DC80..U+DCFF (which valid UTF-8 never decodes to), so every name on disk
// has exactly one string and back.
import { constants, type BigIntStats } from 'node:fs'
import { mkdir, open, type FileHandle } from 'node:fs/promises'
import { escapePath } from '../../common/text/display-text'

/** Linux's O_PATH: a handle to a folder that grants nothing by itself and needs no read permission. */
const O_PATH = 0o10000000
const FOLDER_FLAGS = O_PATH | constants.O_DIRECTORY | constants.O_NOFOLLOW

export class UnsafePathError extends Error {}

const ESCAPED_BYTE = /[\udc80-\udcff]/

function decodesExactly(bytes: Buffer): boolean {
  return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes)
}

function sequenceLength(lead: number): number {
  return lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1
}

/** A name read from disk as a string (see the top of this file). */
export function nameFromBytes(bytes: Buffer): string {
  if (decodesExactly(bytes)) return bytes.toString('utf8')
  let name = ''
  for (let at = 0; at < bytes.length; ) {
    const length = sequenceLength(bytes[at]!)
    const sequence = bytes.subarray(at, at + length)
    if (length > 1 && sequence.length === length && decodesExactly(sequence)) {
      name += sequence.toString('utf8')
      at += length
    } else if (bytes[at]! < 0x80) {
      name += String.fromCharCode(bytes[at]!)
      at += 1
    } else {
      name += String.fromCharCode(0xdc00 + bytes[at]!)
      at += 1
    }
  }
  return name
}

/** The bytes of a name as `nameFromBytes` read them. */
export function bytesOfName(name: string): Buffer {
  if (!ESCAPED_BYTE.test(name)) return Buffer.from(name, 'utf8')
  const parts: Buffer[] = []
  for (const character of name) {
    const code = character.charCodeAt(0)
    parts.push(character.length === 1 && code >= 0xdc80 && code <= 0xdcff ? Buffer.of(code - 0xdc00) : Buffer.from(character, 'utf8'))
  }
  return Buffer.concat(parts)
}

/** An open workspace folder; `relative` is its workspace-relative path ('' for the root). */
export class WorkspaceDir {
  readonly relative: string
  #handle: FileHandle

  private constructor(relative: string, handle: FileHandle) {
    this.relative = relative
    this.#handle = handle
  }

  /** Opens the workspace root itself (a link in the root's own path is the person's choice and is followed). */
  static async openRoot(root: string): Promise<WorkspaceDir> {
    return new WorkspaceDir('', await open(root, O_PATH | constants.O_DIRECTORY))
  }

  /**
   * Opens `dir` (workspace-relative) below `root` without following a link anywhere on the way.
   * Null when a folder on the way is missing; UnsafePathError when one is not a folder. With
   * `create`, missing folders are made (mode 0700) and reported to `created`.
   */
  static async open(root: string, dir: string, create?: { created: (relative: string) => void }): Promise<WorkspaceDir | null> {
    let current = await WorkspaceDir.openRoot(root)
    if (dir === '') return current
    try {
      for (const name of dir.split('/')) {
        const next = await current.child(name, create)
        if (next === null) {
          await current.close()
          return null
        }
        await current.close()
        current = next
      }
      return current
    } catch (error) {
      await current.close()
      throw error
    }
  }

  /** This folder's own path for system calls that act on it (chmod, opendir). */
  get self(): string {
    return `/proc/self/fd/${this.#handle.fd}`
  }

  /** The path of `name` inside this folder, for system calls that do not follow a final link. */
  at(name: string): string | Buffer {
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) throw new UnsafePathError(`not a file name: ${escapePath(name)}`)
    return ESCAPED_BYTE.test(name) ? Buffer.concat([Buffer.from(`${this.self}/`), bytesOfName(name)]) : `${this.self}/${name}`
  }

  stat(): Promise<BigIntStats> {
    return this.#handle.stat({ bigint: true })
  }

  /** The folder `name` inside this one; null when it is missing (and not created). */
  async child(name: string, create?: { created: (relative: string) => void }): Promise<WorkspaceDir | null> {
    const relative = this.relative === '' ? name : `${this.relative}/${name}`
    for (let attempt = 0; ; attempt += 1) {
      try {
        return new WorkspaceDir(relative, await open(this.at(name), FOLDER_FLAGS))
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'ENOTDIR' || code === 'ELOOP') throw new UnsafePathError(`${escapePath(relative)} is not a folder (a link or a file); nothing is read or written through it`)
        if (code !== 'ENOENT' || create === undefined || attempt > 0) {
          if (code === 'ENOENT') return null
          throw error
        }
        await mkdir(this.at(name), { mode: 0o700 }).catch((made: NodeJS.ErrnoException) => {
          if (made.code !== 'EEXIST') throw made
        })
        create.created(relative)
      }
    }
  }

  close(): Promise<void> {
    return this.#handle.close()
  }
}

/** Runs `work` with the folder `dir` open, then closes it; null when a folder on the way is missing. */
export async function withWorkspaceDir<T>(root: string, dir: string, work: (folder: WorkspaceDir) => Promise<T>): Promise<T | null> {
  const folder = await WorkspaceDir.open(root, dir)
  if (folder === null) return null
  try {
    return await work(folder)
  } finally {
    await folder.close()
  }
}
