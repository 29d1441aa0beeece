// The Changes view, reverts and rewinds through the host API, as the app calls them: computed
// from Tether's own snapshot, so what the run does to git's index and exclude rules hides nothing.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ChangesView } from '../../common/api/contract'
import { foldRecords } from '../../common/run/reduce'
import { runStarted } from '../../test-support/run-records'
import { bash, workspaceTree } from '../../test-support/workspace-tree'
import { SnapshotStore } from '../snapshots/snapshot-store'
import { WorkspaceCheckpoints } from '../snapshots/workspace-checkpoints'
import { readRunLog } from '../store/run-log-reader'
import type { ClientConnection } from './client-connection'
import { createHostFixture, RUN_ID, writeRunLog, type HostFixture } from '../../test-support/host/host-fixture'

const LINES = Array.from({ length: 30 }, (_, index) => `line ${index + 1}`).join('\n') + '\n'

describe('reviewing a run through the host', () => {
  let fixture: HostFixture
  let session: ClientConnection
  beforeEach(async () => {
    fixture = await createHostFixture()
    session = fixture.host.connect({ send: () => undefined, congested: () => false })
  })
  afterEach(async () => {
    await fixture.dispose()
  })

  async function call<T>(method: string, params: unknown): Promise<T> {
    const reply = await fixture.host.dispatch(session, method, params)
    if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`)
    return reply.result as T
  }

  /** A run whose one call changed files; then git's index and exclude rules are turned against the view. */
  async function changedRun(): Promise<Record<string, string>> {
    const { workspace } = fixture
    await writeFile(join(workspace, 'a.txt'), LINES)
    await writeFile(join(workspace, 'b.txt'), 'bee\n')
    await writeFile(join(workspace, '.gitignore'), 'build/\n')
    bash(workspace, 'git init -q . && git add -A && git -c user.name=T -c user.email=t@example.invalid commit -qm start')
    const original = workspaceTree(workspace)
    const checkpoints = await WorkspaceCheckpoints.open(new SnapshotStore(fixture.dataDir.snapshots), RUN_ID, workspace)
    await checkpoints.checkpoint('before', 'call_1', 'shell')
    bash(workspace, 'sed -i "s/^line 2$/line two/; s/^line 25$/line 25\\nline 25b/" a.txt && rm b.txt && echo fresh > new.txt && mkdir -p build && echo out > build/x')
    await checkpoints.checkpoint('after', 'call_1', 'shell')
    await checkpoints.close()
    await writeRunLog(fixture.dataDir, RUN_ID, [runStarted({ runId: RUN_ID, workspace }), { type: 'user.input', kind: 'task', text: 'Edit.' }])
    bash(workspace, 'git update-index --skip-worktree a.txt && echo new.txt >> .git/info/exclude && rm .git/index && mkfifo .git/index')
    return original
  }

  it('lists every change, whatever git is told to hide, and answers with a FIFO in place of the index', async () => {
    await changedRun()
    const view = await call<ChangesView>('getChanges', { runId: RUN_ID })
    expect(view.available && view.files.map(({ path, status, additions, deletions, modeBefore, modeAfter }) => ({ path, status, additions, deletions, modeBefore, modeAfter }))).toEqual([
      { path: 'a.txt', status: 'modified', additions: 2, deletions: 1, modeBefore: 0o644, modeAfter: 0o644 },
      { path: 'b.txt', status: 'deleted', additions: 0, deletions: 1, modeBefore: 0o644, modeAfter: null },
      { path: 'new.txt', status: 'added', additions: 1, deletions: 0, modeBefore: null, modeAfter: 0o644 }
    ])
  })

  it('reverts one hunk, then a whole file, on disk; refuses paths outside the changes', async () => {
    await changedRun()
    const hunks = await call<ChangesView>('getChanges', { runId: RUN_ID })
    expect(hunks.available).toBe(true)
    const second = { oldStart: 23, oldLines: 6, newStart: 23, newLines: 7 }
    const afterHunk = await call<ChangesView>('revertChange', { runId: RUN_ID, path: 'a.txt', hunk: second })
    expect(readFileSync(join(fixture.workspace, 'a.txt'), 'utf8')).toBe(LINES.replace('line 2\n', 'line two\n'))
    expect(afterHunk.available && afterHunk.files.find((file) => file.path === 'a.txt')).toMatchObject({ additions: 1, deletions: 1 })
    await call('revertChange', { runId: RUN_ID, path: 'new.txt', hunk: null })
    const afterFile = await call<ChangesView>('revertChange', { runId: RUN_ID, path: 'b.txt', hunk: null })
    expect({ newTxt: existsSync(join(fixture.workspace, 'new.txt')), bTxt: readFileSync(join(fixture.workspace, 'b.txt'), 'utf8') }).toEqual({ newTxt: false, bTxt: 'bee\n' })
    expect(afterFile.available && afterFile.files.map((file) => file.path)).toEqual(['a.txt'])

    for (const [path, message] of [
      ['../outside.txt', 'invalid_request: revertChange: path: not a workspace-relative path'],
      ['/etc/passwd', 'invalid_request: revertChange: path: not a workspace-relative path'],
      ['.git/config', 'invalid_request: revertChange: path: not a workspace-relative path'],
      ['a.txt\0../../x', 'invalid_request: revertChange: path: not a workspace-relative path'],
      ['sub/../../x', 'invalid_request: revertChange: path: not a workspace-relative path'],
      ['sub/.git/hooks/pre-commit', 'invalid_request: revertChange: path: not a workspace-relative path'],
      ['build/x', 'not_found: build/x has no change to revert']
    ] as const) {
      await expect(call('revertChange', { runId: RUN_ID, path, hunk: null })).rejects.toThrow(message)
    }
    await expect(call('revertChange', { runId: RUN_ID, path: 'a.txt', hunk: second })).rejects.toThrow('conflict: a.txt changed since the view was shown; reload it')
  })

  it('refuses to revert through a folder swapped for a link after the run, and writes nothing outside', async () => {
    const { workspace } = fixture
    await mkdir(join(workspace, 'lib'))
    await writeFile(join(workspace, 'lib', 'keys'), 'mine\n')
    const checkpoints = await WorkspaceCheckpoints.open(new SnapshotStore(fixture.dataDir.snapshots), RUN_ID, workspace)
    await checkpoints.checkpoint('before', 'call_1', 'shell')
    bash(workspace, 'echo planted >> lib/keys')
    await checkpoints.checkpoint('after', 'call_1', 'shell')
    await checkpoints.close()
    await writeRunLog(fixture.dataDir, RUN_ID, [runStarted({ runId: RUN_ID, workspace }), { type: 'user.input', kind: 'task', text: 'Edit.' }])
    const view = await call<ChangesView>('getChanges', { runId: RUN_ID })
    expect(view.available && view.files.map((file) => file.path)).toEqual(['lib/keys'])
    // What a process the run left behind does between the view and the click.
    const outside = join(workspace, '..', 'outside-ssh')
    await mkdir(outside)
    await writeFile(join(outside, 'keys'), 'ssh-ed25519 AAAA person\n')
    bash(workspace, `mv lib lib.old && ln -s ${outside} lib`)
    await expect(call('revertChange', { runId: RUN_ID, path: 'lib/keys', hunk: null })).rejects.toThrow(
      'conflict: lib/keys: lib is not a folder (a link or a file); nothing is read or written through it'
    )
    expect(readFileSync(join(outside, 'keys'), 'utf8')).toBe('ssh-ed25519 AAAA person\n')
  })

  it('commits nowhere a planted .git points (a gitdir: file, a symlink), and runs nothing', async () => {
    await changedRun()
    const { workspace } = fixture
    const elsewhere = join(workspace, '..', 'elsewhere.git')
    const marker = join(workspace, '..', 'planted-ran')
    bash(workspace, `rm .git/index && git init -q --bare ${elsewhere} && mv .git ../moved.git`)
    bash(elsewhere, `git config core.fsmonitor "touch ${marker}" && printf '#!/bin/sh\\ntouch ${marker}\\n' > hooks/post-commit && chmod +x hooks/post-commit`)
    const headOf = (): string => readFileSync(join(elsewhere, 'HEAD'), 'utf8')
    const before = headOf()
    for (const plant of [`printf 'gitdir: ${elsewhere}\n' > .git`, `rm -f .git && ln -s ${elsewhere} .git`]) {
      bash(workspace, plant)
      await expect(call('commitChanges', { runId: RUN_ID, message: 'Planted', newBranch: null })).rejects.toThrow(/^conflict: .*\.git.* points outside the repository, at .*elsewhere\.git$/)
      expect(headOf()).toBe(before)
      expect(readdirSync(join(elsewhere, 'refs', 'heads'))).toEqual([])
    }
    expect(existsSync(marker)).toBe(false)
  })

  it('refuses to commit a name that is not UTF-8, rather than commit it under another name', async () => {
    await changedRun()
    bash(fixture.workspace, "rm .git/index && git read-tree HEAD && printf 'x\\n' > $'bad\\xff.txt'")
    await expect(call('commitChanges', { runId: RUN_ID, message: 'Bytes', newBranch: null })).rejects.toThrow(
      'conflict: bad\\xff.txt cannot be committed: its name is not UTF-8 (rename it, or revert it, first)'
    )
  })

  it('previews and rewinds to before a call, and logs the rewind', async () => {
    const original = await changedRun()
    await mkdir(join(fixture.workspace, 'later'))
    const preview = await call('previewRewind', { runId: RUN_ID, callId: 'call_1' })
    expect(preview).toEqual({
      callId: 'call_1',
      steps: [
        { path: 'a.txt', action: 'restore' },
        { path: 'b.txt', action: 'create' },
        { path: 'later', action: 'delete' },
        { path: 'new.txt', action: 'delete' }
      ],
      unrestorable: []
    })
    expect(await call('rewindRun', { runId: RUN_ID, callId: 'call_1' })).toEqual({ changed: ['a.txt', 'b.txt', 'later', 'new.txt'], failed: [] })
    const tree = workspaceTree(fixture.workspace, (path) => path === '.git' || path.startsWith('.git/') || path.startsWith('build'))
    const expected = Object.fromEntries(Object.entries(original).filter(([path]) => !path.startsWith('build')))
    expect(tree).toEqual(expected)
    const state = foldRecords((await readRunLog(fixture.dataDir.runLog(RUN_ID))).records)
    expect(state.rewinds.map(({ beforeCallId, changedCount, failed }) => ({ beforeCallId, changedCount, failed }))).toEqual([{ beforeCallId: 'call_1', changedCount: 4, failed: [] }])
    await expect(call('rewindRun', { runId: RUN_ID, callId: 'call_9' })).rejects.toThrow('conflict: no checkpoint before call call_9')
  })
})
