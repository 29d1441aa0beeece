// Applying a worktree run as an attacker would shape it: the person's git must not move or run
// anything, and what the run left as links must arrive as links, never as writes through them.
import { execFileSync } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { useTempDirs } from '../../test-support/temp-dir'
import { bash, folderDigest } from '../../test-support/workspace-tree'
import { SnapshotStore } from '../snapshots/snapshot-store'
import { WorkspaceCheckpoints } from '../snapshots/workspace-checkpoints'
import { DataDir } from '../store/data-dir'
import { applyRunChanges } from './apply-run'
import { createRunWorktree } from './run-worktree'

const tempDir = useTempDirs('tether-apply-attack-')

describe('applying a hostile worktree run', () => {
  const opened: WorkspaceCheckpoints[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((checkpoints) => checkpoints.close()))
  })

  it("moves no ref, touches no index, runs no filter, hook or fsmonitor, and writes links as links", async () => {
    const folder = await tempDir()
    const repo = join(folder, 'person')
    const marker = join(folder, 'planted-ran')
    const secret = join(folder, 'secret')
    mkdirSync(join(repo, 'docs'), { recursive: true })
    mkdirSync(secret)
    writeFileSync(join(secret, 'key'), 'KEY\n')
    writeFileSync(join(repo, 'a.txt'), 'one\n')
    writeFileSync(join(repo, 'docs', 'guide.md'), 'guide\n')
    bash(repo, 'git init -q -b main . && git add -A && git -c user.name=P -c user.email=p@example.invalid commit -qm start')
    bash(repo, `git config filter.evil.clean "touch ${marker}; cat" && git config filter.evil.smudge "touch ${marker}; cat" && git config core.fsmonitor "touch ${marker}" && printf '#!/bin/sh\\ntouch ${marker}\\n' > .git/hooks/post-checkout && chmod +x .git/hooks/post-checkout`)
    const dataDir = new DataDir(join(folder, 'data'))
    const worktree = await createRunWorktree(dataDir, repo, 'run_apply')
    const store = new SnapshotStore(dataDir.snapshots)
    const checkpoints = await WorkspaceCheckpoints.open(store, 'run_apply', worktree.path)
    opened.push(checkpoints)
    await checkpoints.checkpoint('before', 'call_1', 'shell')
    // What the run leaves: a filter for every file, a folder replaced by a link to a secret, a link to the person's .git.
    bash(worktree.path, `echo '* filter=evil' > .gitattributes && echo two >> a.txt && rm -r docs && ln -s ${secret} docs && ln -s ${join(repo, '.git')} gitdir-link`)
    await checkpoints.checkpoint('after', 'call_1', 'shell')
    await checkpoints.close()
    const gitState = (): Record<string, string> => ({
      head: readFileSync(join(repo, '.git', 'HEAD'), 'utf8'),
      refs: folderDigest(join(repo, '.git', 'refs')),
      index: readFileSync(join(repo, '.git', 'index')).toString('hex'),
      config: readFileSync(join(repo, '.git', 'config'), 'utf8')
    })
    const before = gitState()
    const secretBefore = folderDigest(secret)
    const report = await applyRunChanges(store, 'run_apply', worktree.path, repo, false)
    expect({ conflicts: report.conflicts, failed: report.outcome?.failed, changed: report.outcome?.changed }).toEqual({
      conflicts: [],
      failed: [],
      changed: ['.gitattributes', 'a.txt', 'docs', 'docs/guide.md', 'gitdir-link']
    })
    expect(gitState()).toEqual(before)
    expect(existsSync(marker)).toBe(false)
    expect({ docs: readlinkSync(join(repo, 'docs')), gitdir: lstatSync(join(repo, 'gitdir-link')).isSymbolicLink(), a: readFileSync(join(repo, 'a.txt'), 'utf8') }).toEqual({ docs: secret, gitdir: true, a: 'one\ntwo\n' })
    expect(folderDigest(secret)).toBe(secretBefore)
    expect(execFileSync('git', ['-c', 'core.fsmonitor=false', '-c', 'filter.evil.clean=cat', 'rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim()).toBe(worktree.baseCommit)
  })
})
