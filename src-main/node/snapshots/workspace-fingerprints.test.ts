import { readdirSync, readFileSync } from 'node:fs'
import { mkdir, readdir, realpath, rm, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { useTempDirs } from '../../test-support/temp-dir'
import { bash } from '../../test-support/workspace-tree'
import { readCheckpointLog, type CheckpointLine } from './checkpoint-log'
import type { ReadResult } from './read-entry'
import { SnapshotStore } from './snapshot-store'
import { WorkspaceCheckpoints, type CheckpointOptions } from './workspace-checkpoints'
import { mountPointsIn, readFingerprints, settledAfterMs, writeFingerprints } from './workspace-fingerprints'

// The files the scan read, by name, as the reader answers: a file it opened comes back with its
// content; one whose fingerprint still matched comes back as the entry it was given, unread.
const filesOpened: string[] = []
vi.mock('./entry-reader', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./entry-reader')>()
  const note = (name: string, read: ReadResult | null): void => {
    if (read?.entry.kind === 'file' && read.content !== null) filesOpened.push(name.slice(name.lastIndexOf('/') + 1))
  }
  return {
    ...actual,
    readEntriesIn: async function* (...args: Parameters<typeof actual.readEntriesIn>) {
      let index = 0
      for await (const part of actual.readEntriesIn(...args)) {
        for (const read of part) note(args[1][index++]?.name ?? '', read)
        yield part
      }
    },
    readEntryAt: async (...args: Parameters<typeof actual.readEntryAt>) => {
      const read = await actual.readEntryAt(...args)
      note(args[1], read)
      return read
    },
    readEntry: async (...args: Parameters<typeof actual.readEntry>) => {
      const read = await actual.readEntry(...args)
      note(args[1], read)
      return read
    }
  }
})

const tempDir = useTempDirs('tether-fingerprints-')

/** The inotify watches this process holds, from the kernel's view of its descriptors. */
function inotifyWatches(): number {
  let count = 0
  for (const fd of readdirSync('/proc/self/fdinfo')) {
    const info = (() => {
      try {
        return readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8')
      } catch {
        return ''
      }
    })()
    count += info.split('\n').filter((line) => line.startsWith('inotify wd:')).length
  }
  return count
}

/** Longer than read-entry's racy window: a file changed this long before a read is trusted by its fingerprint. */
const PAST_RACY_WINDOW_MS = 2100

describe('what the last run in a workspace found', () => {
  beforeEach(() => {
    filesOpened.length = 0
  })

  async function setup(): Promise<{ workspace: string; store: SnapshotStore }> {
    const folder = await tempDir()
    const workspace = join(folder, 'repo')
    await mkdir(join(workspace, 'sub'), { recursive: true })
    await writeFile(join(workspace, 'a.txt'), 'one\n')
    await writeFile(join(workspace, 'sub', 'b.txt'), 'bee\n')
    await writeFile(join(workspace, 'c.txt'), 'sea\n')
    return { workspace, store: new SnapshotStore(join(folder, 'data', 'snapshots')) }
  }

  /** One run's first read; by default every file left alone since before it counts as settled. */
  async function runOnce(store: SnapshotStore, runId: string, workspace: string, options: CheckpointOptions = { settledMs: 0 }): Promise<CheckpointLine> {
    filesOpened.length = 0
    const checkpoints = await WorkspaceCheckpoints.open(store, runId, workspace, options)
    await checkpoints.close()
    return (await readCheckpointLog(store.checkpointLog(runId)))[0]!
  }

  async function cacheFile(store: SnapshotStore): Promise<string> {
    const names = await readdir(join(store.root, 'workspaces'))
    expect(names).toHaveLength(1)
    return join(store.root, 'workspaces', names[0]!)
  }

  it('a new run takes unread every entry whose fingerprint still matches, and reads what changed', async () => {
    const { workspace, store } = await setup()
    await sleep(PAST_RACY_WINDOW_MS)
    const first = await runOnce(store, 'run_1', workspace)
    expect(filesOpened.sort()).toEqual(['a.txt', 'b.txt', 'c.txt'])

    const second = await runOnce(store, 'run_2', workspace)
    expect(filesOpened).toEqual([])
    // The same base, in whatever order the reads ended.
    const comparable = (line: CheckpointLine) => ({ ...line, at: 0, delta: Object.fromEntries(line.delta) })
    expect(comparable(second)).toEqual(comparable(first))

    // Same size, mtime set back: only the ctime, which no process can set, tells.
    bash(workspace, 'cp -p a.txt ../a.time && printf "two\\n" > a.txt && touch -r ../a.time a.txt')
    const third = await runOnce(store, 'run_3', workspace)
    expect(filesOpened).toEqual(['a.txt'])
    const a = third.delta.find(([path]) => path === 'a.txt')?.[1]
    expect(a).toMatchObject({ kind: 'file', size: 4 })
    expect(a).not.toEqual(first.delta.find(([path]) => path === 'a.txt')?.[1])
  })

  it('reads a file again when its content is no longer in the store', async () => {
    const { workspace, store } = await setup()
    await sleep(PAST_RACY_WINDOW_MS)
    await runOnce(store, 'run_1', workspace)
    await rm(store.objects.root, { recursive: true })
    const fresh = new SnapshotStore(store.root)
    const second = await runOnce(fresh, 'run_2', workspace)
    expect(filesOpened.sort()).toEqual(['a.txt', 'b.txt', 'c.txt'])
    for (const [, entry] of second.delta) if (entry?.kind === 'file' && entry.hash !== null) await expect(fresh.objects.get(entry.hash)).resolves.toBeInstanceOf(Buffer)
  })

  it('keeps nothing a .gitignore now ignores, even if the last run kept it', async () => {
    const { workspace, store } = await setup()
    await sleep(PAST_RACY_WINDOW_MS)
    await runOnce(store, 'run_1', workspace)
    expect(filesOpened.sort()).toEqual(['a.txt', 'b.txt', 'c.txt'])
    await writeFile(join(workspace, '.gitignore'), 'c.txt\n')
    const second = await runOnce(store, 'run_2', workspace)
    expect(second.delta.map(([path]) => path).sort()).toEqual(['.gitignore', 'a.txt', 'sub', 'sub/b.txt'])
  })

  it('sets a torn or foreign file aside with a note and reads every file', async () => {
    const { workspace, store } = await setup()
    await sleep(PAST_RACY_WINDOW_MS)
    await runOnce(store, 'run_1', workspace)
    const path = await cacheFile(store)
    await writeFile(path, '{"version":1,"workspace":')
    const torn = await runOnce(store, 'run_2', workspace)
    expect(torn.notes).toEqual([`what the last run found here is not JSON (${path}); every file was read`])
    expect(filesOpened.sort()).toEqual(['a.txt', 'b.txt', 'c.txt'])

    const real = await realpath(workspace)
    const fileEntry = { kind: 'file', mode: 0o644, size: 4, note: null, stat: '1:4:0:0' }
    for (const [runId, entry] of [
      ['run_3', { kind: 'file', mode: 'rw' }],
      ['run_4', { ...fileEntry, hash: '../../../../etc/passwd' }]
    ] as const) {
      await writeFile(path, JSON.stringify({ version: 1, workspace: real, entries: [['a.txt', entry]] }))
      const wrong = await runOnce(store, runId, workspace)
      expect(wrong.notes).toEqual([`what the last run found here is not in the expected form (${path}); every file was read`])
      expect(filesOpened.sort()).toEqual(['a.txt', 'b.txt', 'c.txt'])
    }
  })

  it("keeps nothing for the next run of a file changed shortly before the read, by the kernel's writeback times", async () => {
    const { workspace, store } = await setup()
    await sleep(PAST_RACY_WINDOW_MS)
    const real = await realpath(workspace)
    // Files read past the racy window are kept when they count as settled at once...
    const settledAtOnce = new SnapshotStore(join(store.root, '..', 'settled-at-once'))
    await runOnce(settledAtOnce, 'run_0', workspace)
    expect([...(await readFingerprints(await cacheFile(settledAtOnce), real)).entries.keys()].sort()).toEqual(['a.txt', 'c.txt', 'sub', 'sub/b.txt'])
    // ...and not by the kernel's times, which they are younger than (where no time is enough, nothing is written at all).
    const settledMs = await settledAfterMs(workspace)
    await runOnce(store, 'run_1', workspace, {})
    if (settledMs === null) await expect(readdir(join(store.root, 'workspaces'))).rejects.toMatchObject({ code: 'ENOENT' })
    else expect([settledMs >= 60_000, [...(await readFingerprints(await cacheFile(store), real)).entries.keys()]]).toEqual([true, []])
    await runOnce(store, 'run_2', workspace, {})
    expect(filesOpened.sort()).toEqual(['a.txt', 'b.txt', 'c.txt'])
  })

  it('keeps nothing on a file system that never writes pages back, nor below a mount point inside the workspace', async () => {
    expect(await settledAfterMs('/dev/shm')).toBeNull()
    const mountinfo = [
      '22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw',
      '40 22 0:35 / /home/me/repo/cache rw shared:20 - tmpfs tmpfs rw',
      '41 22 0:36 / /home/me/repo/with\\040space rw shared:21 - tmpfs tmpfs rw',
      '42 22 0:37 / /home/me/repository rw shared:22 - tmpfs tmpfs rw',
      '43 22 0:38 / /home/me/repo rw shared:23 - ext4 /dev/vdb rw'
    ].join('\n')
    expect(mountPointsIn(mountinfo, '/home/me/repo')).toEqual(new Set(['cache', 'with space']))
  })

  it('sweeps what a write cut short long ago left beside the file, and nothing younger', async () => {
    const { workspace, store } = await setup()
    const path = join(store.root, 'workspaces', 'cache.json')
    await mkdir(join(store.root, 'workspaces'), { recursive: true })
    for (const name of ['cache.json.old.tmp', 'cache.json.new.tmp', 'other.json.old.tmp']) await writeFile(join(store.root, 'workspaces', name), '')
    const hoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000)
    for (const name of ['cache.json.old.tmp', 'other.json.old.tmp']) await utimes(join(store.root, 'workspaces', name), hoursAgo, hoursAgo)
    await writeFingerprints(path, await realpath(workspace), [], Date.now())
    expect((await readdir(join(store.root, 'workspaces'))).sort()).toEqual(['cache.json', 'cache.json.new.tmp', 'other.json.old.tmp'])
  })

  it('reads again, and may keep now, a file the last run could not keep', async () => {
    const { workspace, store } = await setup()
    await sleep(PAST_RACY_WINDOW_MS)
    const first = await runOnce(store, 'run_1', workspace, { settledMs: 0, storeLimits: { maxNewBytes: 4, minFreeBytes: 0 } })
    const unkept = first.delta.filter(([, entry]) => entry?.kind === 'file' && entry.hash === null).map(([path]) => path)
    expect(unkept).toHaveLength(2)
    const second = await runOnce(store, 'run_2', workspace)
    expect(filesOpened.sort()).toEqual(unkept.map((path) => path.slice(path.lastIndexOf('/') + 1)).sort())
    expect(second.delta.filter(([, entry]) => entry?.kind === 'file' && entry.hash === null)).toEqual([])
  })

  it('keeps nothing for a run taken up again, or one in its own worktree', async () => {
    const { workspace, store } = await setup()
    await runOnce(store, 'run_1', workspace, { settledMs: 0, reuseFound: false })
    await expect(readdir(join(store.root, 'workspaces'))).rejects.toMatchObject({ code: 'ENOENT' })
    await runOnce(store, 'run_1', workspace)
    await expect(readdir(join(store.root, 'workspaces'))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('leaves no lock, log or watch behind when the first read fails', async () => {
    const { workspace, store } = await setup()
    const watchesBefore = inotifyWatches()
    // A file where the object store's folder belongs: keeping any content fails.
    await mkdir(store.root, { recursive: true })
    await writeFile(store.objects.root, 'not a folder\n')
    await expect(WorkspaceCheckpoints.open(store, 'run_1', workspace)).rejects.toMatchObject({ code: 'ENOTDIR' })
    expect([await store.liveHolder('run_1'), inotifyWatches()]).toEqual([null, watchesBefore])
    await rm(store.objects.root)
    await expect(runOnce(new SnapshotStore(store.root), 'run_1', workspace)).resolves.toMatchObject({ n: 0, label: 'base' })
  })

  it('is nothing for a file that names another workspace, or none at all', async () => {
    const { workspace, store } = await setup()
    await sleep(PAST_RACY_WINDOW_MS)
    await runOnce(store, 'run_1', workspace)
    const path = await cacheFile(store)
    const real = await realpath(workspace)
    expect([...(await readFingerprints(path, real)).entries.keys()].sort()).toEqual(['a.txt', 'c.txt', 'sub', 'sub/b.txt'])
    expect(await readFingerprints(path, '/elsewhere')).toEqual({ entries: new Map(), problem: null })
    expect(await readFingerprints(`${path}.missing`, real)).toEqual({ entries: new Map(), problem: null })
  })
})
