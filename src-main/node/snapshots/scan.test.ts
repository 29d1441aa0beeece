import { readdirSync } from 'node:fs'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTempDirs } from '../../test-support/temp-dir'
import { GitignoreRules } from './gitignore-rules'
import { readEntry } from './entry-reader'
import { Manifest } from './manifest'
import { ObjectStore } from './object-store'
import { MAX_DEPTH, scanSubtree, SIDE_BY_SIDE_DEPTH, type ScanContext } from './scan'

const tempDir = useTempDirs('tether-scan-')

/** A full tree of folders `depth` deep, `fanout` wide, one file in each; returns every folder's path. */
async function makeTree(root: string, depth: number, fanout: number, content: (folder: string) => string = (folder) => `${folder}\n`): Promise<string[]> {
  const folders: string[] = []
  const grow = async (relative: string, level: number): Promise<void> => {
    await mkdir(join(root, relative), { recursive: true })
    await writeFile(join(root, relative, 'file.txt'), content(relative))
    folders.push(relative)
    if (level < depth) await Promise.all(Array.from({ length: fanout }, (_, index) => grow(`${relative}/d${index}`, level + 1)))
  }
  await Promise.all(Array.from({ length: fanout }, (_, index) => grow(`d${index}`, 1)))
  return folders
}

function openDescriptors(): number {
  return readdirSync('/proc/self/fd').length
}

async function contextFor(root: string): Promise<ScanContext> {
  return { root, rules: new GitignoreRules(root), objects: new ObjectStore(await tempDir()) }
}

describe('scanSubtree', () => {
  // The reader's worker thread holds descriptors of its own from its first read on, for as long as
  // the process lives: it is started before any test counts them.
  beforeAll(async () => {
    await readEntry(await tempDir(), 'nothing')
  })

  it('walks folders side by side and finds every path, with the .gitignore of each folder applied to it and below', async () => {
    const root = await tempDir()
    const folders = await makeTree(root, 4, 3)
    await writeFile(join(root, '.gitignore'), '/d2/\n')
    // Folders named d1 anywhere below d0/d1, not d0/d1 itself.
    await writeFile(join(root, 'd0', 'd1', '.gitignore'), 'd1/\n')
    const scan = await scanSubtree(await contextFor(root), '', new Manifest())
    const ignored = (path: string): boolean => path === 'd2' || path.startsWith('d2/') || (path.startsWith('d0/d1/') && path.slice('d0/d1/'.length).split('/').includes('d1'))
    const expected = folders.flatMap((folder) => [folder, `${folder}/file.txt`]).filter((path) => !ignored(path))
    expect([...scan.keys()].sort()).toEqual(['.gitignore', 'd0/d1/.gitignore', ...expected].sort())
    expect({ kept: scan.get('d2/d1/file.txt'), nested: scan.get('d1/d2/d1/file.txt') }).toEqual({ kept: undefined, nested: expect.objectContaining({ kind: 'file', size: 'd1/d2/d1\n'.length }) })
  })

  it('holds open a bounded number of folders and files, however wide and deep the tree', async () => {
    const root = await tempDir()
    const folders = await makeTree(root, 6, 3)
    const before = openDescriptors()
    let most = 0
    const context: ScanContext = { ...(await contextFor(root)), onDirectory: () => void (most = Math.max(most, openDescriptors())) }
    const scan = await scanSubtree(context, '', new Manifest())
    expect(scan.size).toBe(folders.length * 2)
    // Eight walks at most, each holding the folders on its way down (six levels and the root) and
    // the listing it reads, and eight file reads; one walk per folder would hold hundreds.
    expect(most - before).toBeLessThanOrEqual(8 * 7 + 8 + 8)
    expect(openDescriptors()).toBe(before)
  })

  it('walks chains of folders deeper than any project one at a time, within the open files a process may have', async () => {
    const root = await tempDir()
    const chains = 8
    const deepest = MAX_DEPTH + 3
    await Promise.all(Array.from({ length: chains }, (_, chain) => mkdir(join(root, `c${chain}`, ...Array.from({ length: deepest - 1 }, () => 'a')), { recursive: true })))
    const before = openDescriptors()
    let most = 0
    const notes: string[] = []
    const context: ScanContext = { ...(await contextFor(root)), onDirectory: () => void (most = Math.max(most, openDescriptors())), note: (text) => notes.push(text) }
    const scan = await scanSubtree(context, '', new Manifest())
    // Every folder down to MAX_DEPTH + 1 is kept; the ones below it are not read.
    expect({ kept: scan.size, notes: notes.length }).toEqual({ kept: chains * (MAX_DEPTH + 1), notes: chains })
    // Eight walks down to SIDE_BY_SIDE_DEPTH, one below it, and the reads and listings of each:
    // at most half of a common limit of 1024, the rest being the process's own. Eight walks each
    // down its own chain would hold about 2,000.
    const bound = chains * SIDE_BY_SIDE_DEPTH + (MAX_DEPTH + 2 - SIDE_BY_SIDE_DEPTH) + 8 + 8
    expect({ bound: bound <= 512, within: most - before <= bound }).toEqual({ bound: true, within: true })
    expect(openDescriptors()).toBe(before)
  })

  it('walks a folder replaced after its parent read it and before it was opened, as it is now', async () => {
    const root = await tempDir()
    await mkdir(join(root, 'a', 'build'), { recursive: true })
    await writeFile(join(root, 'a', 'f.txt'), 'sibling\n')
    await writeFile(join(root, 'a', 'build', 'old.txt'), 'old\n')
    const context = await contextFor(root)
    const known = new Manifest()
    known.apply(await scanSubtree(context, '', new Manifest()))
    // Keeping a/f.txt happens after a's batch read found a/build, and before a/build is opened: a
    // build's `mv build.new build` lands there (the old folder still exists, so the new one has
    // another inode).
    const aside = join(await tempDir(), 'old-build')
    const put = context.objects.put.bind(context.objects)
    let replaced = false
    context.objects.put = async (hash, content) => {
      if (!replaced && content.toString() === 'changed sibling\n') {
        replaced = true
        await rename(join(root, 'a', 'build'), aside)
        await mkdir(join(root, 'a', 'build'))
        await writeFile(join(root, 'a', 'build', 'new.txt'), 'new\n')
      }
      return put(hash, content)
    }
    await writeFile(join(root, 'a', 'f.txt'), 'changed sibling\n')
    const entered: string[] = []
    const scan = await scanSubtree({ ...context, onDirectory: (dir) => entered.push(dir) }, '', known)
    expect({
      replaced,
      entered: entered.sort(),
      build: scan.get('a/build')?.kind,
      old: scan.get('a/build/old.txt'),
      added: scan.get('a/build/new.txt')
    }).toEqual({ replaced: true, entered: ['', 'a', 'a/build'], build: 'dir', old: null, added: expect.objectContaining({ kind: 'file', size: 4 }) })
  })

  it('stops every walk when one fails, and throws only once none still runs', async () => {
    const root = await tempDir()
    // One content everywhere: the store keeps one blob, in memory, and opens no pack file.
    const folders = await makeTree(root, 5, 3, () => 'same\n')
    const before = openDescriptors()
    let entered = 0
    let enteredAtFailure = 0
    const context: ScanContext = {
      ...(await contextFor(root)),
      onDirectory: (dir) => {
        entered += 1
        if (dir !== 'd0/d0') return
        enteredAtFailure = entered
        throw new Error('cannot watch d0/d0')
      }
    }
    const failure = await scanSubtree(context, '', new Manifest()).then(
      () => null,
      (error: Error) => ({ message: error.message, descriptors: openDescriptors() })
    )
    const enteredBeforeThrow = entered
    for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve))
    expect({ failure, enteredAfterThrow: entered - enteredBeforeThrow }).toEqual({ failure: { message: 'cannot watch d0/d0', descriptors: before }, enteredAfterThrow: 0 })
    // Each of the eight walks finished at most the step it was in; none walked on through the tree.
    expect({ enteredAfterFailure: enteredBeforeThrow - enteredAtFailure <= 8, walkedAll: enteredBeforeThrow === folders.length + 1 }).toEqual({ enteredAfterFailure: true, walkedAll: false })
  })
})
