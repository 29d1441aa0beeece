// Content-addressed blobs: a file's bytes under the sha256 of those bytes, so a content kept by
// many checkpoints (and many runs) is stored once. Written to a temp name, synced, then renamed:
// a blob that exists is whole.
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'

const HASH = /^[0-9a-f]{64}$/

export class ObjectStore {
  readonly root: string
  #known = new Set<string>()

  constructor(root: string) {
    this.root = root
  }

  pathOf(hash: string): string {
    if (!HASH.test(hash)) throw new Error(`not a content hash: ${hash}`)
    return join(this.root, hash.slice(0, 2), hash.slice(2))
  }

  async has(hash: string): Promise<boolean> {
    if (this.#known.has(hash)) return true
    const found = await stat(this.pathOf(hash)).then(
      () => true,
      () => false
    )
    if (found) this.#known.add(hash)
    return found
  }

  /** Stores `content` under `hash` (its sha256, computed by the caller as it read it). */
  async put(hash: string, content: Buffer): Promise<void> {
    if (await this.has(hash)) return
    const path = this.pathOf(hash)
    await mkdir(join(this.root, hash.slice(0, 2)), { recursive: true })
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`
    const handle = await open(temporary, 'wx', 0o600)
    try {
      await handle.writeFile(content)
      await handle.datasync()
    } catch (error) {
      await handle.close()
      await rm(temporary, { force: true })
      throw error
    }
    await handle.close()
    await rename(temporary, path)
    this.#known.add(hash)
  }

  get(hash: string): Promise<Buffer> {
    return readFile(this.pathOf(hash))
  }
}
