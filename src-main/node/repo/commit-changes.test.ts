// Committing a run's changes with plumbing: only the run's paths, from Tether's copies, no
// filter or hook ever runs, the current branch moves (or a new one is made) and nothing else.
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startSim } from '../../../sim'
import { useTempDirs } from '../../test-support/temp-dir'
import { bash } from '../../test-support/workspace-tree'
import { SnapshotStore } from '../snapshots/snapshot-store'
import { changedFiles } from '../snapshots/workspace-changes'
import { WorkspaceCheckpoints } from '../snapshots/workspace-checkpoints'
import { openGitRepository } from '../git/git-repository'
import { DataDir } from '../store/data-dir'
import { CommitError, commitRunChanges } from './commit-changes'
import { createRunWorktree, repositoryOfRun } from './run-worktree'
import { DRAFT_INSTRUCTIONS, draftCommitMessage } from './draft-commit-message'

const tempDir = useTempDirs('tether-commit-test-')

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim()
}

describe('committing a run', () => {
  const opened: WorkspaceCheckpoints[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((checkpoints) => checkpoints.close()))
  })

  async function changedRepo(): Promise<{ repo: string; marker: string; checkpoints: WorkspaceCheckpoints; store: SnapshotStore }> {
    const folder = await tempDir()
    const repo = join(folder, 'repo')
    const marker = join(folder, 'filter-ran')
    mkdirSync(repo)
    writeFileSync(join(repo, 'a.txt'), 'one\n')
    writeFileSync(join(repo, 'b.txt'), 'bee\n')
    writeFileSync(join(repo, 'tool.sh'), 'echo\n')
    writeFileSync(join(repo, 'local.txt'), 'mine\n')
    bash(repo, 'git init -q -b main . && git config user.name T && git config user.email t@example.invalid && git add -A && git commit -qm start')
    // A filter the repository asks for: git would run it on `git add`; Tether's commit never does.
    bash(repo, `git config filter.evil.clean "touch ${marker}; cat" && printf '#!/bin/sh\\ntouch ${marker}\\n' > .git/hooks/pre-commit && chmod +x .git/hooks/pre-commit`)
    writeFileSync(join(repo, 'local.txt'), 'mine, not the run\'s\n')
    const store = new SnapshotStore(join(folder, 'snapshots'))
    const checkpoints = await WorkspaceCheckpoints.open(store, 'run_1', repo)
    opened.push(checkpoints)
    writeFileSync(join(repo, '.gitattributes'), '* filter=evil\n')
    writeFileSync(join(repo, 'a.txt'), 'one\ntwo\n')
    unlinkSync(join(repo, 'b.txt'))
    writeFileSync(join(repo, 'new.txt'), 'fresh\n')
    chmodSync(join(repo, 'tool.sh'), 0o755)
    symlinkSync('a.txt', join(repo, 'link'))
    await checkpoints.rescan()
    return { repo, marker, checkpoints, store }
  }

  it("commits only the run's paths on the current branch, runs no filter or hook, and leaves nothing staged", async () => {
    const { repo, marker, checkpoints, store } = await changedRepo()
    const parent = git(repo, 'rev-parse', 'HEAD')
    const result = await commitRunChanges(await openGitRepository(repo), repo, checkpoints.base, checkpoints.manifest, store.objects, { message: 'Run changes\n\nBody.', newBranch: null })
    // Checked before this test runs `git status` itself, which does run the repository's filter.
    expect(existsSync(marker)).toBe(false)
    expect(result).toEqual({ commit: git(repo, 'rev-parse', 'HEAD'), branch: 'main', paths: ['.gitattributes', 'a.txt', 'b.txt', 'link', 'new.txt', 'tool.sh'] })
    expect(git(repo, 'rev-parse', 'HEAD~1')).toBe(parent)
    expect(git(repo, 'log', '-1', '--format=%B')).toBe('Run changes\n\nBody.')
    expect(git(repo, 'show', '--format=', '--name-status', 'HEAD').split('\n').sort()).toEqual(['A\t.gitattributes', 'A\tlink', 'A\tnew.txt', 'D\tb.txt', 'M\ta.txt', 'M\ttool.sh'])
    expect(git(repo, 'ls-tree', 'HEAD', 'tool.sh', 'link').split('\n').map((line) => line.split(' ')[0])).toEqual(['120000', '100755'])
    expect(git(repo, 'show', 'HEAD:a.txt')).toBe('one\ntwo')
    expect(git(repo, '-c', 'filter.evil.clean=cat', 'status', '--porcelain')).toBe('M local.txt')
  })

  it('makes a new branch at the commit and leaves HEAD where it was; refuses a taken name', async () => {
    const { repo, checkpoints, store } = await changedRepo()
    const head = git(repo, 'rev-parse', 'HEAD')
    const result = await commitRunChanges(await openGitRepository(repo), repo, checkpoints.base, checkpoints.manifest, store.objects, { message: 'On a branch', newBranch: 'feature/run' })
    expect({ head: git(repo, 'rev-parse', 'HEAD'), branch: result.branch, parent: git(repo, 'rev-parse', 'feature/run~1') }).toEqual({ head, branch: 'feature/run', parent: head })
    await expect(commitRunChanges(await openGitRepository(repo), repo, checkpoints.base, checkpoints.manifest, store.objects, { message: 'Again', newBranch: 'feature/run' })).rejects.toThrow(CommitError)
  })

  it('asks the run\'s model to draft the message', async () => {
    const { checkpoints, store } = await changedRepo()
    const sim = await startSim({ scenario: { name: 'draft', turns: [{ output: [{ type: 'message', text: 'Add notes and tidy a.txt\n\nKeeps the tool executable.' }] }] } })
    try {
      const { files } = await changedFiles(checkpoints.base, checkpoints.manifest, store.objects)
      const message = await draftCommitMessage({ name: 'custom', baseUrl: sim.baseUrl, apiKey: 'sim' }, 'sim-model', files)
      expect(message).toBe('Add notes and tidy a.txt\n\nKeeps the tool executable.')
    } finally {
      await sim.stop()
    }
    expect(DRAFT_INSTRUCTIONS).toContain('commit message')
  })

  it("commits in a worktree run's own worktree, on its tether/ branch, and leaves the person's HEAD alone", async () => {
    const folder = await tempDir()
    const repo = join(folder, 'repo')
    mkdirSync(repo)
    writeFileSync(join(repo, 'a.txt'), 'one\n')
    bash(repo, 'git init -q -b main . && git config user.name T && git config user.email t@example.invalid && git add -A && git commit -qm start')
    const head = git(repo, 'rev-parse', 'HEAD')
    const dataDir = new DataDir(join(folder, 'data'))
    const { path, ...info } = await createRunWorktree(dataDir, repo, 'run_1')
    const store = new SnapshotStore(dataDir.snapshots)
    const checkpoints = await WorkspaceCheckpoints.open(store, 'run_1', path)
    opened.push(checkpoints)
    writeFileSync(join(path, 'a.txt'), 'one\ntwo\n')
    await checkpoints.rescan()
    const gitRepo = await repositoryOfRun(path, info)
    const result = await commitRunChanges(gitRepo!, path, checkpoints.base, checkpoints.manifest, store.objects, { message: 'In the worktree', newBranch: null })
    expect(result.branch).toBe(info.branch)
    expect({ branchTip: git(repo, 'rev-parse', info.branch), parent: git(repo, 'rev-parse', `${info.branch}~1`), head: git(repo, 'rev-parse', 'HEAD') }).toEqual({ branchTip: result.commit, parent: head, head })
    expect(git(repo, 'show', `${info.branch}:a.txt`)).toBe('one\ntwo')
  })
})
