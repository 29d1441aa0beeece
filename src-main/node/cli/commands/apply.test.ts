// `tether run --worktree` and `tether apply`: two worktree runs on one repository at once leave
// the person's working tree, index and HEAD alone and each other's work apart; applying refuses,
// changing nothing, when a path the run changed was changed locally too.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { RunRecord } from '../../../common/run/records'
import { ensureBuiltCli, runCli } from '../../../test-support/built-cli'
import { bash, folderDigest, isGitPath, workspaceTree } from '../../../test-support/workspace-tree'
import { scratch } from '../../../test-support/driver/driver-fixture'

beforeAll(ensureBuiltCli, 120_000)

const made: string[] = []
afterEach(() => made.splice(0).forEach((path) => rmSync(path, { recursive: true, force: true })))

function scenario(root: string, name: string, command: string): string {
  const path = join(root, `${name}.json`)
  const turns = [{ output: [{ type: 'function_call', name: 'shell', arguments: { command, timeout_ms: null } }] }, { output: [{ type: 'message', text: 'Done.' }] }]
  writeFileSync(path, JSON.stringify({ name, turns }))
  return path
}

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim()
}

describe('worktree runs and tether apply', () => {
  it('keeps two runs and the working tree apart, and applies only without conflicts', async () => {
    const root = scratch('cli-apply')
    made.push(root)
    const home = join(root, 'home')
    const repo = join(root, 'repo')
    mkdirSync(repo)
    writeFileSync(join(repo, 'a.txt'), 'one\ntwo\n')
    writeFileSync(join(repo, 'b.txt'), 'bee\n')
    writeFileSync(join(repo, 'gone.txt'), 'bye\n')
    writeFileSync(join(repo, 'local.txt'), 'mine\n')
    bash(repo, 'git init -q -b main . && git add -A && git -c user.name=T -c user.email=t@example.invalid commit -qm start')
    // Work of the person's own that no run may touch: an edit and an untracked file.
    writeFileSync(join(repo, 'local.txt'), 'mine, edited\n')
    writeFileSync(join(repo, 'untracked.txt'), 'draft\n')
    const head = git(repo, 'rev-parse', 'HEAD')
    const tree = workspaceTree(repo)
    const index = readFileSync(join(repo, '.git', 'index'))

    const runOf = async (name: string, command: string): Promise<string> => {
      const result = await runCli(['run', '--worktree', '--sim', '--scenario', scenario(root, name, command), '--approval', 'auto-in-sandbox', '--json', '--workspace', repo, 'Change things.'], { TETHER_HOME: home })
      expect({ name, code: result.code, stderr: result.stderr }).toMatchObject({ name, code: 0 })
      return (JSON.parse(result.stdout.split('\n')[0]!) as Extract<RunRecord, { type: 'run.started' }>).runId
    }
    const [first, second] = await Promise.all([
      runOf('first', 'echo three >> a.txt && echo fresh > new.txt && rm gone.txt && chmod 600 b.txt'),
      runOf('second', 'echo other >> b.txt && echo second > second.txt')
    ])
    expect(workspaceTree(repo)).toEqual(tree)
    expect(readFileSync(join(repo, '.git', 'index'))).toEqual(index)
    expect({ head: git(repo, 'rev-parse', 'HEAD'), branch: git(repo, 'symbolic-ref', 'HEAD') }).toEqual({ head, branch: 'refs/heads/main' })
    expect(git(repo, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/tether/').split('\n').sort()).toEqual([`tether/${first}`, `tether/${second}`].sort())

    const dry = await runCli(['apply', first!, '--dry-run'], { TETHER_HOME: home })
    expect({ code: dry.code, lines: dry.stdout.trim().split('\n') }).toEqual({
      code: 0,
      lines: ['restore a.txt', 'mode    b.txt 0644 -> 0600', 'delete  gone.txt', 'create  new.txt']
    })
    expect(workspaceTree(repo)).toEqual(tree)

    // The person edits a.txt too: applying the first run refuses and writes nothing.
    writeFileSync(join(repo, 'a.txt'), 'one\ntwo, edited here\n')
    const before = folderDigest(repo)
    const refused = await runCli(['apply', first!], { TETHER_HOME: home })
    expect({ code: refused.code, stdout: refused.stdout }).toEqual({ code: 1, stdout: '' })
    expect(refused.stderr).toContain('conflict a.txt: changed in your working tree too')
    expect(refused.stderr).toContain('nothing was applied')
    expect(folderDigest(repo)).toBe(before)

    writeFileSync(join(repo, 'a.txt'), 'one\ntwo\n')
    const applied = await runCli(['apply', first!], { TETHER_HOME: home })
    expect(applied.code).toBe(0)
    const secondApplied = await runCli(['apply', second!], { TETHER_HOME: home })
    expect({ code: secondApplied.code, stderr: secondApplied.stderr }).toMatchObject({ code: 1, stderr: expect.stringContaining('conflict b.txt') })
    expect(workspaceTree(repo, isGitPath)).toEqual({
      ...Object.fromEntries(Object.entries(tree).filter(([path]) => path !== 'gone.txt')),
      'a.txt': 'file 644 one\ntwo\nthree\n',
      'b.txt': 'file 600 bee\n',
      'new.txt': 'file 644 fresh\n'
    })
    expect(readFileSync(join(repo, '.git', 'index'))).toEqual(index)
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head)
  }, 120_000)
})
