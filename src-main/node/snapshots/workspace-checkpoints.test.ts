import { lstatSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { useTempDirs } from '../../test-support/temp-dir'
import { bash, folderDigest, workspaceTree } from '../../test-support/workspace-tree'
import { readCheckpointLog } from './checkpoint-log'
import { describeStep } from './restore'
import { rewindPoints, rewindTo } from './rewind'
import { SnapshotStore } from './snapshot-store'
import { WorkspaceCheckpoints } from './workspace-checkpoints'

const tempDir = useTempDirs('tether-checkpoints-')

const IGNORED = (path: string): boolean => path === '.git' || path.startsWith('.git/') || path === 'build' || path.startsWith('build/') || path.endsWith('.log')

describe('workspace checkpoints', () => {
  const opened: WorkspaceCheckpoints[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((checkpoints) => checkpoints.close()))
  })

  async function setup(): Promise<{ workspace: string; store: SnapshotStore; checkpoints: WorkspaceCheckpoints }> {
    const folder = await tempDir()
    const workspace = join(folder, 'repo')
    await mkdir(join(workspace, 'sub'), { recursive: true })
    bash(workspace, 'git init -q . && git config user.email t@example.invalid && git config user.name T')
    await writeFile(join(workspace, 'a.txt'), 'one\ntwo\n')
    await writeFile(join(workspace, 'sub', 'b.txt'), 'bee\n')
    await writeFile(join(workspace, '.gitignore'), 'build/\n*.log\n')
    await writeFile(join(workspace, 'script.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 })
    await mkdir(join(workspace, 'build'))
    await writeFile(join(workspace, 'build', 'out.bin'), 'built\n')
    await writeFile(join(workspace, 'x.log'), 'log one\n')
    bash(workspace, 'git add -A && git commit -qm start')
    const store = new SnapshotStore(join(folder, 'data', 'snapshots'))
    const checkpoints = await WorkspaceCheckpoints.open(store, 'run_1', workspace)
    opened.push(checkpoints)
    return { workspace, store, checkpoints }
  }

  it('keeps the workspace before and after each call, reading only what changed', async () => {
    const { workspace, checkpoints } = await setup()
    expect((await checkpoints.checkpoint('before', 'call_1', 'shell')).changed).toEqual([])
    bash(workspace, 'echo new > c.txt && echo three >> a.txt && rm sub/b.txt && mkdir -p d/e && chmod 600 script.sh && ln -s a.txt link && echo more >> x.log && echo out > build/two.bin')
    const after = await checkpoints.checkpoint('after', 'call_1', 'shell')
    expect(after).toEqual({ index: 2, changed: ['a.txt', 'c.txt', 'd', 'd/e', 'link', 'script.sh', 'sub/b.txt'], notes: [] })
  })

  it('rewinds byte- and mode-exact to before any call, earlier then later, leaving .git and ignored files alone', async () => {
    const { workspace, store, checkpoints } = await setup()
    const original = workspaceTree(workspace, IGNORED)
    await checkpoints.checkpoint('before', 'call_1', 'shell')
    bash(workspace, 'echo new > c.txt && printf "changed\\n" > a.txt && rm sub/b.txt && mkdir -p d/e && chmod 600 script.sh && ln -s a.txt link && mv sub moved && echo log two >> x.log')
    await checkpoints.checkpoint('after', 'call_1', 'shell')
    await checkpoints.checkpoint('before', 'call_2', 'shell')
    const afterFirst = workspaceTree(workspace, IGNORED)
    bash(workspace, 'rm -rf d && mv c.txt renamed.txt && chmod 700 moved && rm link && ln -s nowhere link && echo built > build/three.bin && git add -A && git commit -qm agent')
    await checkpoints.checkpoint('after', 'call_2', 'shell')
    const gitBefore = folderDigest(join(workspace, '.git'))
    const ignoredBefore = workspaceTree(workspace, (path) => !IGNORED(path) || path === '.git' || path.startsWith('.git/'))

    const dry = await rewindTo(checkpoints, 'call_1', true)
    expect(dry.outcome).toBeNull()
    expect(dry.plan.steps.map(describeStep)).toEqual([
      'restore a.txt',
      'delete  link',
      'delete  moved/',
      'delete  renamed.txt',
      'mode    script.sh 0600 -> 0755',
      'create  sub/',
      'create  sub/b.txt'
    ])
    expect(workspaceTree(workspace, IGNORED)).not.toEqual(original)

    const back = await rewindTo(checkpoints, 'call_1', false)
    expect(back.outcome?.failed).toEqual([])
    expect(workspaceTree(workspace, IGNORED)).toEqual(original)
    expect(folderDigest(join(workspace, '.git'))).toBe(gitBefore)
    expect(workspaceTree(workspace, (path) => !IGNORED(path) || path === '.git' || path.startsWith('.git/'))).toEqual(ignoredBefore)

    await rewindTo(checkpoints, 'call_2', false)
    expect(workspaceTree(workspace, IGNORED)).toEqual(afterFirst)
    expect(rewindPoints(await readCheckpointLog(store.checkpointLog('run_1'))).map((line) => line.callId)).toEqual(['call_1', 'call_2'])
  })

  it('never writes through a link a run put in place of a directory', async () => {
    const { workspace, checkpoints } = await setup()
    const outside = join(workspace, '..', 'outside')
    await mkdir(outside)
    await checkpoints.checkpoint('before', 'call_1', 'shell')
    bash(workspace, `rm -rf sub && ln -s ${outside} sub`)
    await checkpoints.checkpoint('after', 'call_1', 'shell')
    const report = await rewindTo(checkpoints, 'call_1', false)
    expect(report.outcome?.failed).toEqual([])
    expect(readdirSync(outside)).toEqual([])
    expect(lstatSync(join(workspace, 'sub')).isDirectory()).toBe(true)
    expect(readFileSync(join(workspace, 'sub', 'b.txt'), 'utf8')).toBe('bee\n')
  })

  it('reads the whole workspace, and says so, when a call makes more file events than the kernel queue is sure to hold', async () => {
    const { workspace, checkpoints } = await setup()
    await checkpoints.checkpoint('before', 'call_1', 'shell')
    // Appends that alternate between two files: every write is an event the kernel cannot merge.
    bash(workspace, 'for i in $(seq 1 4500); do echo $i >> one.txt; echo $i >> two.txt; done')
    const after = await checkpoints.checkpoint('after', 'call_1', 'shell')
    expect(after.notes).toEqual([expect.stringMatching(/^read the whole workspace: \d+ file events in a row may have overflowed the kernel's queue$/)])
    expect(after.changed).toEqual(['one.txt', 'two.txt'])
  })
})
