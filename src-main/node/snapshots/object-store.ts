// Content-addressed blobs: a file's bytes under the sha256 of those bytes, so a content kept by
// many checkpoints (and many runs) is stored once. What a scan reads waits in a batch until
// `flush` puts it on disk: a few blobs become one file each (written to a temp name, synced, then
// renamed), a larger batch becomes one pack file with an index (synced, then the pack renamed and
// its index last), so a run's first read of a 50,000-file repository does not create and sync
// 50,000 files. Either way a blob that can be found by its hash is whole.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises'
import { basename, join } from 'node:path'

/** A content hash as the store names blobs: sha256, lowercase hex. */
export const HASH = /^[0-9a-f]{64}$/

/** A batch stays in memory, to become single files, while it has at most this many blobs... */
const LOOSE_BATCH_COUNT = 16
/** ...and at most this many bytes; past either it goes to a pack file. */
const LOOSE_BATCH_BYTES = 8 * 1024 * 1024
/** Blobs bound for a pack are written to it in one call once this many wait... */
const PACK_WRITE_COUNT = 256
/** ...or this many bytes. */
const PACK_WRITE_BYTES = 4 * 1024 * 1024

interface PackSlot {
  pack: string
  offset: number
  length: number
}

/** The blobs put since the last flush. */
interface Batch {
  /** Blobs not written anywhere yet. */
  memory: Map<string, Buffer>
  bytes: number
  pack: { path: string; handle: FileHandle; size: number; slots: Map<string, PackSlot> } | null
}

function emptyBatch(): Batch {
  return { memory: new Map(), bytes: 0, pack: null }
}

async function writeSynced(path: string, content: Buffer | string): Promise<void> {
  const handle = await open(path, 'wx', 0o600)
  try {
    await handle.writeFile(content)
    await handle.datasync()
  } catch (error) {
    await handle.close()
    await rm(path, { force: true })
    throw error
  }
  await handle.close()
}

/** What is left of `buffers` after their first `skip` bytes. */
function unwritten(buffers: Buffer[], skip: number): Buffer[] {
  const rest: Buffer[] = []
  for (const buffer of buffers) {
    if (skip >= buffer.length) skip -= buffer.length
    else {
      rest.push(skip > 0 ? buffer.subarray(skip) : buffer)
      skip = 0
    }
  }
  return rest
}

async function readSlot(slot: PackSlot): Promise<Buffer> {
  const handle = await open(slot.pack, 'r')
  try {
    const content = Buffer.alloc(slot.length)
    const { bytesRead } = await handle.read(content, 0, slot.length, slot.offset)
    if (bytesRead !== slot.length) throw new Error(`pack ${slot.pack} is shorter than its index says`)
    return content
  } finally {
    await handle.close()
  }
}

/** The slots an index file lists, or none if it is not one. */
function slotsOfIndex(text: string, pack: string): [string, PackSlot][] {
  const parsed: unknown = JSON.parse(text)
  if (typeof parsed !== 'object' || parsed === null || !('objects' in parsed) || typeof parsed.objects !== 'object' || parsed.objects === null) return []
  const slots: [string, PackSlot][] = []
  for (const [hash, place] of Object.entries(parsed.objects)) {
    if (!HASH.test(hash) || !Array.isArray(place) || place.length !== 2 || !place.every((n) => Number.isSafeInteger(n) && n >= 0)) continue
    slots.push([hash, { pack, offset: place[0] as number, length: place[1] as number }])
  }
  return slots
}

export class ObjectStore {
  readonly root: string
  /** Single-file blobs known to exist. */
  #known = new Set<string>()
  #packed = new Map<string, PackSlot>()
  #packsRead: Promise<void> | null = null
  #indexesRead = new Set<string>()
  #batch = emptyBatch()
  /** Puts and flushes change the batch one at a time. */
  #queue: Promise<unknown> = Promise.resolve()

  constructor(root: string) {
    this.root = root
  }

  get #packDir(): string {
    return join(this.root, 'packs')
  }

  #pathOf(hash: string): string {
    if (!HASH.test(hash)) throw new Error(`not a content hash: ${hash}`)
    return join(this.root, hash.slice(0, 2), hash.slice(2))
  }

  async has(hash: string): Promise<boolean> {
    await this.#readPacks()
    if (this.#known.has(hash) || this.#packed.has(hash) || this.#batch.memory.has(hash) || this.#batch.pack?.slots.has(hash)) return true
    // Asked for every new file of a first read: a trip through the thread pool per file (and an
    // error built for each miss) costs more than looking in the app's own folder here.
    const found = existsSync(this.#pathOf(hash))
    if (found) this.#known.add(hash)
    return found
  }

  /**
   * Keeps `content` under `hash` (its sha256, computed by the caller as it read it). It can be
   * read back at once; it is on disk after the next `flush`.
   */
  put(hash: string, content: Buffer): Promise<void> {
    return this.#serially(async () => {
      if (await this.has(hash)) return
      const batch = this.#batch
      batch.memory.set(hash, content)
      batch.bytes += content.length
      if (batch.pack === null ? batch.memory.size <= LOOSE_BATCH_COUNT && batch.bytes <= LOOSE_BATCH_BYTES : batch.memory.size < PACK_WRITE_COUNT && batch.bytes < PACK_WRITE_BYTES) return
      if (batch.pack === null) {
        await mkdir(this.#packDir, { recursive: true })
        const path = join(this.#packDir, `${Date.now()}-${randomBytes(6).toString('hex')}.pack.tmp`)
        batch.pack = { path, handle: await open(path, 'wx', 0o600), size: 0, slots: new Map() }
      }
      await this.#writeToPack(batch)
    })
  }

  /** Puts every blob kept so far on disk. */
  flush(): Promise<void> {
    return this.#serially(async () => {
      const batch = this.#batch
      try {
        if (batch.pack !== null) {
          await this.#writeToPack(batch)
          await this.#finishPack(batch.pack)
        }
        // Side by side: each blob is whole on its own, and their syncs overlap instead of adding up.
        const written = await Promise.allSettled([...batch.memory].map(([hash, content]) => this.#writeLoose(hash, content)))
        const failed = written.find((outcome) => outcome.status === 'rejected')
        if (failed) throw failed.reason
      } catch (error) {
        // What failed to reach the disk is not named by any checkpoint: drop it, so the next
        // batch starts clean.
        if (batch.pack !== null) {
          await batch.pack.handle.close().catch(() => undefined)
          await rm(batch.pack.path, { force: true })
        }
        throw error
      } finally {
        this.#batch = emptyBatch()
      }
    })
  }

  async get(hash: string): Promise<Buffer> {
    await this.#readPacks()
    const held = this.#batch.memory.get(hash)
    if (held !== undefined) return held
    const pending = this.#batch.pack?.slots.get(hash)
    if (pending !== undefined) {
      try {
        return await readSlot(pending)
      } catch (error) {
        // A flush renamed the pack in between: it is found below under its final name.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
    }
    const slot = this.#packed.get(hash)
    if (slot !== undefined) return readSlot(slot)
    try {
      return await readFile(this.#pathOf(hash))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      // Kept since this store last looked, in a pack another store wrote.
      await this.#readNewPacks()
      const added = this.#packed.get(hash)
      if (added === undefined) throw error
      return readSlot(added)
    }
  }

  #serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.catch(() => undefined).then(work)
    this.#queue = next
    return next
  }

  /** Writes the blobs held in memory to the batch's pack, in one call unless the disk takes only part. */
  async #writeToPack(batch: Batch): Promise<void> {
    const pack = batch.pack!
    const blobs = [...batch.memory]
    if (blobs.length === 0) return
    let written = 0
    const contents = blobs.map(([, content]) => content)
    while (written < batch.bytes) {
      const { bytesWritten } = await pack.handle.writev(unwritten(contents, written), pack.size + written)
      if (bytesWritten === 0) throw new Error(`cannot write to ${pack.path}: the disk took nothing`)
      written += bytesWritten
    }
    for (const [hash, content] of blobs) {
      pack.slots.set(hash, { pack: pack.path, offset: pack.size, length: content.length })
      pack.size += content.length
    }
    batch.memory.clear()
    batch.bytes = 0
  }

  async #finishPack(pack: NonNullable<Batch['pack']>): Promise<void> {
    await pack.handle.datasync()
    await pack.handle.close()
    const name = pack.path.slice(0, -'.pack.tmp'.length)
    const objects = Object.fromEntries([...pack.slots].map(([hash, slot]) => [hash, [slot.offset, slot.length]]))
    await writeSynced(`${name}.idx.tmp`, JSON.stringify({ objects }))
    await rename(pack.path, `${name}.pack`)
    // The index last: a pack is only looked in once its index is there, and then it is whole.
    await rename(`${name}.idx.tmp`, `${name}.idx`)
    this.#indexesRead.add(`${basename(name)}.idx`)
    for (const [hash, slot] of pack.slots) this.#packed.set(hash, { ...slot, pack: `${name}.pack` })
  }

  async #writeLoose(hash: string, content: Buffer): Promise<void> {
    const path = this.#pathOf(hash)
    await mkdir(join(this.root, hash.slice(0, 2)), { recursive: true })
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`
    await writeSynced(temporary, content)
    await rename(temporary, path)
    this.#known.add(hash)
  }

  /** Learns the packs on disk once; packs this store writes later are added as they are made. */
  #readPacks(): Promise<void> {
    this.#packsRead ??= this.#readNewPacks()
    return this.#packsRead
  }

  /** Reads the indexes of packs not known yet (other stores, in this process or another, add packs). */
  async #readNewPacks(): Promise<void> {
    const names = await readdir(this.#packDir).catch(() => [] as string[])
    for (const name of names.filter((entry) => entry.endsWith('.idx') && !this.#indexesRead.has(entry))) {
      const text = await readFile(join(this.#packDir, name), 'utf8').catch(() => null)
      if (text === null) continue
      this.#indexesRead.add(name)
      let slots: [string, PackSlot][]
      try {
        slots = slotsOfIndex(text, join(this.#packDir, `${name.slice(0, -'.idx'.length)}.pack`))
      } catch {
        continue
      }
      for (const [hash, slot] of slots) if (!this.#packed.has(hash)) this.#packed.set(hash, slot)
    }
  }
}

