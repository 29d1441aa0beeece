// A run in its own worktree turned against the person's repository: through the worktree's
// `.git` file, the common git directory it names, or the person's working tree by its path.
// Judged outside the sandbox: the person's tree and git directory byte for byte, and a marker
// that a program the run chose would create if the person's git or Tether's ever ran it.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { removeScratch, scratchDir } from '../../test-support/tools/scratch'
import { folderDigest } from '../../test-support/workspace-tree'
import { createRunWorktree } from '../repo/run-worktree'
import { DataDir } from '../store/data-dir'
import { builtinTools } from './builtin'
import { SandboxedToolRuntime } from './sandboxed-tool-runtime'

const root = scratchDir('worktree-escape')
const person = join(root, 'person')
const marker = join(root, 'planted-ran')
const dataDir = new DataDir(join(root, 'data'))
let runtime: SandboxedToolRuntime

function git(cwd: string, ...args: string[]): string {
  const env = { PATH: '/usr/bin:/bin', HOME: join(root, 'person-home'), GIT_CONFIG_NOSYSTEM: '1' }
  return execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim()
}

async function shell(runId: string, workspace: string, command: string): Promise<void> {
  await runtime.openRun({ runId, workspace, artifactsDir: join(root, 'artifacts'), networkAllowlist: [], unsandboxed: false })
  try {
    await runtime.execute({ runId, callId: 'call-1', call: builtinTools.prepareOrThrow('shell', JSON.stringify({ command, timeout_ms: 20_000 })) })
  } finally {
    await runtime.closeRun(runId)
  }
}

beforeAll(async () => {
  mkdirSync(person)
  mkdirSync(join(root, 'person-home'))
  writeFileSync(join(person, 'a.txt'), 'mine\n')
  execFileSync('git', ['init', '-q', '-b', 'main', person])
  git(person, '-c', 'user.name=P', '-c', 'user.email=p@example.invalid', 'add', '-A')
  git(person, '-c', 'user.name=P', '-c', 'user.email=p@example.invalid', 'commit', '-qm', 'start')
  runtime = new SandboxedToolRuntime({ dataDir: dataDir.root, home: join(root, 'sandbox-home'), hiddenPaths: [] })
})

afterAll(async () => {
  await runtime?.close()
  removeScratch(root)
})

describe("a worktree run cannot reach the person's repository", () => {
  test("through the worktree's .git file, the common git directory, or the working tree's path", async () => {
    const worktree = await createRunWorktree(dataDir, person, 'wt-run-1')
    const commonDir = join(person, '.git')
    const before = { tree: folderDigest(person), head: git(person, 'rev-parse', 'HEAD'), branch: git(person, 'symbolic-ref', 'HEAD') }
    const attempts = [
      'echo ok > in-the-worktree.txt',
      `printf 'gitdir: ${commonDir}\\n' > .git`,
      `git config core.fsmonitor "touch ${marker}"`,
      `git config --file ${join(commonDir, 'config')} core.hooksPath ${root}`,
      `printf '#!/bin/sh\\ntouch ${marker}\\n' > ${join(commonDir, 'hooks', 'post-checkout')}`,
      `printf '#!/bin/sh\\ntouch ${marker}\\n' > "$(git rev-parse --git-dir)/hooks/post-commit"`,
      `echo planted >> ${join(person, 'a.txt')}`,
      `echo planted > ${join(person, 'new.txt')}`,
      `git update-ref refs/heads/main HEAD~0 && git -C ${person} reset -q --hard`
    ]
    for (const [index, attempt] of attempts.entries()) await shell(`wt-run-1-${index}`, worktree.path, attempt)
    // Byte for byte: the person's working tree and git directory (the worktree's own metadata in it included).
    expect({ tree: folderDigest(person), head: git(person, 'rev-parse', 'HEAD'), branch: git(person, 'symbolic-ref', 'HEAD') }).toEqual(before)
    expect({ commonDir: git(worktree.path, 'rev-parse', '--git-common-dir'), ranInside: existsSync(join(worktree.path, 'in-the-worktree.txt')) }).toEqual({ commonDir, ranInside: true })
    // The person's own git in both trees runs nothing the run chose.
    git(person, 'status', '--porcelain')
    git(worktree.path, 'status', '--porcelain')
    git(person, '-c', 'user.name=P', '-c', 'user.email=p@example.invalid', 'commit', '-q', '--allow-empty', '-m', 'after the run')
    git(person, 'checkout', '-q', '-b', 'later')
    expect(existsSync(marker)).toBe(false)
  }, 120_000)
})
