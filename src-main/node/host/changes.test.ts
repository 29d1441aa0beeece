import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { changesSince, parseDiffSummary, saveBaseline } from './changes'

/** The person's own git, as they would run it. */
function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8' })
}

const AUTHOR = { GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.invalid' }

describe('the changes of a run', () => {
  let folder: string
  let repo: string
  let artifacts: string
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tether-changes-'))
    repo = join(folder, 'repo')
    artifacts = join(folder, 'artifacts')
    await mkdir(repo)
    git(repo, ['init', '-q', '-b', 'main'])
    await writeFile(join(repo, 'a.txt'), 'one\ntwo\n')
    await writeFile(join(repo, 'gone.txt'), 'bye\n')
    await writeFile(join(repo, '.gitignore'), 'build/\n')
    git(repo, ['add', '-A'])
    git(repo, ['commit', '-q', '-m', 'start'], AUTHOR)
  })
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true })
  })

  it('diffs against the working tree as the run found it, untracked files included, index untouched', async () => {
    // Uncommitted work the person had before the run is not the run's change.
    await writeFile(join(repo, 'draft.txt'), 'mine\n')
    const indexBefore = await readFile(join(repo, '.git', 'index'))
    await saveBaseline(repo, artifacts)
    await writeFile(join(repo, 'a.txt'), 'one\n2\nthree\n')
    await rm(join(repo, 'gone.txt'))
    await writeFile(join(repo, 'new.txt'), 'fresh\n')
    await mkdir(join(repo, 'build'))
    await writeFile(join(repo, 'build', 'out.bin'), 'ignored\n')
    const changes = await changesSince(repo, artifacts)
    expect(changes.available && changes.files).toEqual([
      { path: 'a.txt', status: 'modified', additions: 2, deletions: 1 },
      { path: 'gone.txt', status: 'deleted', additions: 0, deletions: 1 },
      { path: 'new.txt', status: 'added', additions: 1, deletions: 0 }
    ])
    expect(changes.available && changes.baseline).toBe('run-start')
    expect(changes.available && changes.patch).toContain('+fresh')
    expect(await readFile(join(repo, '.git', 'index'))).toEqual(indexBefore)
    expect(git(repo, ['status', '--porcelain']).split('\n').filter(Boolean).sort()).toEqual([
      ' D gone.txt',
      ' M a.txt',
      '?? draft.txt',
      '?? new.txt'
    ])
  })

  it('falls back to HEAD without a baseline, and says so outside git', async () => {
    await writeFile(join(repo, 'a.txt'), 'one\n')
    const changes = await changesSince(repo, artifacts)
    expect(changes).toEqual({
      available: true,
      baseline: 'head',
      files: [{ path: 'a.txt', status: 'modified', additions: 0, deletions: 1 }],
      patch: expect.stringContaining('-two'),
      truncated: false
    })
    const plain = join(folder, 'plain')
    await mkdir(plain)
    expect(await changesSince(plain, artifacts)).toEqual({ available: false, reason: `${plain} is not a git repository` })
  })

  it('parses renames from the NUL-separated summaries', () => {
    expect(parseDiffSummary('3\t1\t\0old name.txt\0new name.txt\0-\t-\tlogo.png\0', 'R087\0old name.txt\0new name.txt\0A\0logo.png\0')).toEqual([
      { path: 'new name.txt', status: 'renamed', additions: 3, deletions: 1 },
      { path: 'logo.png', status: 'added', additions: 0, deletions: 0 }
    ])
  })
})
