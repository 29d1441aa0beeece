import { createHash } from 'node:crypto'
import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../../test-support/temp-dir'
import { ObjectStore } from './object-store'

const tempDir = useTempDirs('tether-objects-')

function blob(text: string): { hash: string; content: Buffer } {
  const content = Buffer.from(text)
  return { hash: createHash('sha256').update(content).digest('hex'), content }
}

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true })
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1)).sort()
}

async function readAll(store: ObjectStore, hashes: string[]): Promise<string[]> {
  return Promise.all(hashes.map(async (hash) => (await store.get(hash)).toString()))
}

describe('object store', () => {
  it('reads a few blobs back at once, and after a flush keeps each as one file named by its hash', async () => {
    const root = await tempDir()
    const store = new ObjectStore(root)
    const blobs = ['kept\n', 'also kept\n'].map(blob)
    for (const { hash, content } of blobs) await store.put(hash, content)
    expect({ has: await store.has(blobs[0]!.hash), read: await readAll(store, blobs.map((b) => b.hash)), files: await filesUnder(root) }).toEqual({
      has: true,
      read: ['kept\n', 'also kept\n'],
      files: []
    })
    await store.flush()
    expect(await filesUnder(root)).toEqual(blobs.map(({ hash }) => `${hash.slice(0, 2)}/${hash.slice(2)}`).sort())
    expect(await readAll(new ObjectStore(root), blobs.map((b) => b.hash))).toEqual(['kept\n', 'also kept\n'])
  })

  it('writes the few blobs of a flush side by side: one that cannot be written fails the flush, and the others are kept whole', async () => {
    const root = await tempDir()
    const store = new ObjectStore(root)
    const [blocked, ...others] = ['blocked\n', 'first\n', 'second\n'].map(blob)
    expect(new Set([blocked!, ...others].map(({ hash }) => hash.slice(0, 2))).size).toBe(3)
    // A file where the blocked blob's folder would go: that one write fails.
    await writeFile(join(root, blocked!.hash.slice(0, 2)), 'in the way')
    for (const { hash, content } of [blocked!, ...others]) await store.put(hash, content)
    await expect(store.flush()).rejects.toThrow(/EEXIST|ENOTDIR/)
    const fresh = new ObjectStore(root)
    expect({ blocked: await fresh.has(blocked!.hash), others: await readAll(fresh, others.map((b) => b.hash)) }).toEqual({ blocked: false, others: ['first\n', 'second\n'] })
    expect(await filesUnder(root)).toEqual([blocked!.hash.slice(0, 2), ...others.map(({ hash }) => `${hash.slice(0, 2)}/${hash.slice(2)}`)].sort())
  })

  it('flushes a large batch as one pack with its index, readable before and after, and by a new store', async () => {
    const root = await tempDir()
    const store = new ObjectStore(root)
    const blobs = Array.from({ length: 2000 }, (_, index) => blob(`file ${index}\n`))
    const texts = blobs.map((_, index) => `file ${index}\n`)
    await Promise.all(blobs.map(({ hash, content }) => store.put(hash, content)))
    expect(await readAll(store, blobs.map((b) => b.hash))).toEqual(texts)
    await store.flush()
    const files = await filesUnder(root)
    expect(files.map((file) => file.replace(/[^/]+(\.pack|\.idx)$/, 'NAME$1'))).toEqual(['packs/NAME.idx', 'packs/NAME.pack'])
    expect(await readAll(store, blobs.map((b) => b.hash))).toEqual(texts)
    const fresh = new ObjectStore(root)
    expect({ has: await fresh.has(blobs[1999]!.hash), read: await readAll(fresh, blobs.map((b) => b.hash)) }).toEqual({ has: true, read: texts })
  })

  it('finds blobs another store packed after this one first looked', async () => {
    const root = await tempDir()
    const reader = new ObjectStore(root)
    const early = blob('early\n')
    expect(await reader.has(early.hash)).toBe(false)
    const writer = new ObjectStore(root)
    const blobs = Array.from({ length: 40 }, (_, index) => blob(`later ${index}\n`))
    for (const { hash, content } of blobs) await writer.put(hash, content)
    await writer.flush()
    expect(await readAll(reader, [blobs[0]!.hash, blobs[39]!.hash])).toEqual(['later 0\n', 'later 39\n'])
    await expect(reader.get(early.hash)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('keeps one copy of a content put twice at the same time', async () => {
    const root = await tempDir()
    const store = new ObjectStore(root)
    const { hash, content } = blob('twice\n')
    await Promise.all([store.put(hash, content), store.put(hash, content)])
    await store.flush()
    expect(await filesUnder(root)).toEqual([`${hash.slice(0, 2)}/${hash.slice(2)}`])
  })

  it('ignores a pack left without its index and an index that is not one', async () => {
    const root = await tempDir()
    const store = new ObjectStore(root)
    const blobs = Array.from({ length: 40 }, (_, index) => blob(`content ${index}\n`))
    for (const { hash, content } of blobs) await store.put(hash, content)
    await writeFile(join(root, 'packs', 'broken.idx'), '{"objects": ')
    await writeFile(join(root, 'packs', 'other.idx'), JSON.stringify({ objects: { [blobs[0]!.hash]: [-1, 2], nothex: [0, 1] } }))
    const fresh = new ObjectStore(root)
    expect(await Promise.all(blobs.map(({ hash }) => fresh.has(hash)))).toEqual(blobs.map(() => false))
  })
})
