// What a run can leave behind for the person's own git. The sandboxed shell tries every way of
// planting a program that git runs (config, commondir, worktree config, submodule and worktree
// metadata, alternates, attributes, hooks, hook folders named by core.hooksPath, husky, nested
// and bare repositories); after the run the test runs git as the person would, with their own
// config, and no marker may appear.
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { builtinTools } from './builtin'
import { SandboxedToolRuntime } from './sandboxed-tool-runtime'
import { removeScratch, scratchDir } from '../../test-support/tools/scratch'

const root = scratchDir('git-plant')
const ws = join(root, 'ws')
const markers = join(root, 'markers')
const controlMarkers = join(root, 'control-markers')
const IDENTITY = { GIT_AUTHOR_NAME: 'P', GIT_AUTHOR_EMAIL: 'p@example.invalid', GIT_COMMITTER_NAME: 'P', GIT_COMMITTER_EMAIL: 'p@example.invalid' }
let runtime: SandboxedToolRuntime
let callNumber = 0

/** The person's own git, with their own environment. */
function personGit(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, env: { ...process.env, ...IDENTITY }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 })
  } catch (error) {
    return String((error as { stderr?: unknown }).stderr ?? error)
  }
}

async function sh(runId: string, command: string): Promise<string> {
  callNumber++
  const result = await runtime.execute({ runId, callId: `call-${callNumber}`, call: builtinTools.prepareOrThrow('shell', JSON.stringify({ command, timeout_ms: 20_000 })) })
  return result.output
}

/** A repository with husky hooks and a nested repository, as a person has it before a run. */
function prepare(workspace: string): void {
  mkdirSync(workspace, { recursive: true })
  personGit(workspace, ['init', '-q', '-b', 'main'])
  writeFileSync(join(workspace, 'a.txt'), 'one\n')
  writeFileSync(join(workspace, '.gitignore'), 'vendor/\n')
  mkdirSync(join(workspace, '.husky', '_'), { recursive: true })
  writeFileSync(join(workspace, '.husky', 'pre-commit'), 'true\n')
  writeFileSync(join(workspace, '.husky', '_', 'pre-commit'), '#!/bin/sh\n. "$(dirname "$0")/../pre-commit"\n')
  chmodSync(join(workspace, '.husky', '_', 'pre-commit'), 0o755)
  personGit(workspace, ['config', 'core.hooksPath', '.husky/_'])
  mkdirSync(join(workspace, 'vendor', 'lib'), { recursive: true })
  personGit(join(workspace, 'vendor', 'lib'), ['init', '-q'])
  personGit(workspace, ['add', '-A'])
  personGit(workspace, ['commit', '-q', '-m', 'start'])
}

/** Every attempt by the marker it would leave; each one is independent of the others failing. */
function attempts(seen: string): Record<string, string> {
  const touch = (name: string): string => `touch ${join(seen, name)}`
  const script = (path: string, name: string): string => `printf '#!/bin/sh\\n${touch(name)}\\ncat >/dev/null 2>&1\\nexit 0\\n' > ${path} && chmod +x ${path}`
  const fsmonitor = (file: string, name: string): string => `printf '[core]\\n\\tfsmonitor = "${touch(name)}; false"\\n' >> ${file}`
  const commit = (dir: string): string => `git -C ${dir} -c user.name=m -c user.email=m@x commit -q --allow-empty -m x`
  return {
    fsmonitor: `git config core.fsmonitor "${touch('fsmonitor')}; false"`,
    'config-append': fsmonitor('.git/config', 'config-append'),
    commondir: `mkdir -p planted && cp -r .git/config .git/objects .git/refs planted/ && ${fsmonitor('planted/config', 'commondir')} && echo ../planted > .git/commondir`,
    'worktree-config': `git config extensions.worktreeConfig true && ${fsmonitor('.git/config.worktree', 'worktree-config')}`,
    'module-config': `mkdir -p .git/modules x && git init -q --separate-git-dir .git/modules/x x && ${commit('x')} && git add x && ${fsmonitor('.git/modules/x/config', 'module-config')}`,
    worktree: `git worktree add -q wt && git config extensions.worktreeConfig true && ${fsmonitor('.git/worktrees/wt/config.worktree', 'worktree')}`,
    textconv: `echo 'a.txt diff=evil' > .git/info/attributes && git config diff.evil.textconv "${touch('textconv')}; cat"`,
    'git-hook': `git config --unset core.hooksPath; ${script('.git/hooks/pre-commit', 'git-hook')}`,
    'husky-underscore': script('.husky/_/post-commit', 'husky-underscore'),
    husky: `printf '${touch('husky')}\\n' >> .husky/pre-commit`,
    'hooks-path-later': `git config core.hooksPath later-hooks && mkdir -p later-hooks && ${script('later-hooks/pre-commit', 'hooks-path-later')}`,
    'nested-existing': fsmonitor('vendor/lib/.git/config', 'nested-existing'),
    'nested-new': `git init -q made && git -C made config core.fsmonitor "${touch('nested-new')}; false" && ${commit('made')} && git add made`,
    'bare-pager': `git init -q --bare bare.git && git -C bare.git config core.pager "${touch('bare-pager')}; cat"`,
    'rebase-exec': `echo more >> a.txt && git -c user.name=m -c user.email=m@x commit -qam second && GIT_SEQUENCE_EDITOR="sed -i '1i break'" git -c user.name=m -c user.email=m@x rebase -q -i --exec "${touch('rebase-exec')}" HEAD~1`,
    gitfile: `mkdir -p deep/er planted-gitdir && cp -r .git/HEAD .git/refs .git/objects planted-gitdir/ && ${fsmonitor('planted-gitdir/config', 'gitfile')} && printf 'gitdir: ../../planted-gitdir\\n' > deep/er/.git`
  }
}

/** What the person does after the run, in the repository and in every nested one. */
function personUsesGit(workspace: string): void {
  // `git status` says a rebase is in progress; the person carries on with it.
  personGit(workspace, ['rebase', '--continue'])
  writeFileSync(join(workspace, 'a.txt'), 'two\n')
  for (const cwd of [workspace, ...['vendor/lib', 'made', 'bare.git', 'deep/er', 'x', 'wt'].map((dir) => join(workspace, dir))]) {
    if (!existsSync(cwd)) continue
    personGit(cwd, ['status'])
    personGit(cwd, ['diff'])
    personGit(cwd, ['log', '-p', '-1'])
    // At a terminal git also starts the pager.
    execFileSync('script', ['-qec', 'git branch --list; git config --list', '/dev/null'], { cwd, stdio: 'ignore', env: { ...process.env, ...IDENTITY } })
  }
  personGit(workspace, ['commit', '-qam', 'mine'])
  personGit(workspace, ['checkout', '-q', '-b', 'next'])
}

beforeAll(async () => {
  for (const dir of [markers, controlMarkers, join(root, 'home')]) mkdirSync(dir, { recursive: true })
  prepare(ws)
  runtime = new SandboxedToolRuntime({ home: join(root, 'home') })
  await runtime.openRun({ runId: 'plant', workspace: ws, artifactsDir: join(root, 'artifacts'), networkAllowlist: [], unsandboxed: false })
  for (const attempt of Object.values(attempts(markers))) await sh('plant', `( ${attempt} ) 2>&1 | tail -1; true`)
  await runtime.closeRun('plant')
}, 120_000)

afterAll(async () => {
  await runtime?.close()
  removeScratch(root)
})

describe("the person's git after a run", () => {
  test('status, diff, log, commit and checkout in the repository and in every nested one run nothing the run planted', () => {
    personUsesGit(ws)
    expect(readdirSync(markers)).toEqual([])
  })

  test('each attempt, made without the sandbox, does plant code the person then runs (the catalogue is live)', async () => {
    const fired: string[] = []
    for (const [name, attempt] of Object.entries(attempts(controlMarkers))) {
      const workspace = join(root, `control-${name}`)
      prepare(workspace)
      execFileSync('/bin/bash', ['-c', attempt], { cwd: workspace, stdio: 'pipe' })
      personUsesGit(workspace)
      if (existsSync(join(controlMarkers, name))) fired.push(name)
    }
    expect(fired).toEqual(Object.keys(attempts(controlMarkers)))
  })

  test('placeholders are gone and the repository still works', () => {
    expect(['commondir', 'config.worktree', 'modules', 'worktrees'].filter((name) => existsSync(join(ws, '.git', name)))).toEqual([])
    expect(personGit(ws, ['log', '--format=%s', '-1']).trim()).toBe('mine')
    expect(existsSync(join(ws, '.git', 'rebase-merge.made-by-tether-run'))).toBe(true)
  })

  test('the nested repository the run made was taken apart, and says so', () => {
    expect(existsSync(join(ws, 'made', '.git'))).toBe(false)
    expect(existsSync(join(ws, 'made', '.git.made-by-tether-run'))).toBe(true)
  })
})
