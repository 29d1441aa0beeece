import { constants } from 'node:fs'
import * as fs from 'node:fs/promises'
import { mkdir, readdir, realpath, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useTempDirs } from '../../test-support/temp-dir'
import { bash } from '../../test-support/workspace-tree'
import { readCheckpointLog, type CheckpointLine } from './checkpoint-log'
import { SnapshotStore } from './snapshot-store'
import { WorkspaceCheckpoints, type CheckpointOptions } from './workspace-checkpoints'
import { readFingerprints, settledAfterMs } from './workspace-fingerprints'

// Every file the scan reads is opened with O_NONBLOCK (read-entry.ts); folders are opened with O_PATH.
const filesOpened: string[] = []
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof fs>()
  return {
    ...actual,
    open: (path: string, flags?: number, mode?: number) => {
      if (typeof flags === 'number' && (flags & constants.O_NONBLOCK) !== 0) filesOpened.push(String(path).replace(/^\/proc\/self\/fd\/\d+\//, ''))
      return actual.open(path, flags, mode)
    }
  }
})

const tempDir = useTempDirs('tether-fingerprints-')

/** Longer than read-entry's racy window: a file changed this long before a read is trusted by its fingerprint. */
const PAST_RACY_WINDOW_MS = 2100

describe('what the last run in a workspace found', () => {
  const opened: WorkspaceCheckpoints[] = []
  beforeEach(() => {
    filesOpened.length = 0
  })
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((checkpoints) => checkpoints.close()))
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
    await runOnce(store, 'run_1', workspace)
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
    const settledMs = await settledAfterMs(workspace)
    await runOnce(store, 'run_1', workspace, {})
    // Every file was written moments ago: a write through a memory mapping may still be unmarked.
    // (Where no time is enough, nothing is kept at all.)
    if (settledMs === null) await expect(readdir(join(store.root, 'workspaces'))).rejects.toMatchObject({ code: 'ENOENT' })
    else expect([settledMs >= 60_000, [...(await readFingerprints(await cacheFile(store), await realpath(workspace))).entries.keys()]]).toEqual([true, []])
    await runOnce(store, 'run_2', workspace, {})
    expect(filesOpened.sort()).toEqual(['a.txt', 'b.txt', 'c.txt'])
  })

  it('keeps nothing on a file system that never writes pages back', async () => {
    expect(await settledAfterMs('/dev/shm')).toBeNull()
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
