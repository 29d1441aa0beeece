// What a run leaves for the person's own tools, judged after the run, outside the sandbox: git as
// a person runs it (default settings, in a terminal, so the pager is used) in the folder the run
// prepared, with a marker file outside the workspace saying whether a program the run chose was
// executed; and the editor folders that run what they hold when the folder is opened.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { spawn as spawnPty } from 'node-pty'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { removeScratch, scratchDir } from '../../test-support/tools/scratch'
import { builtinTools } from './builtin'
import { SandboxedToolRuntime } from './sandboxed-tool-runtime'

const root = scratchDir('later-git')
const ws = join(root, 'ws')
const personHome = join(root, 'person-home')
const outside = join(root, 'outside')
let runtime: SandboxedToolRuntime
let run = 0

/** Runs `command` in the sandbox as one run, and ends the run. */
async function inRun(command: string, workspace = ws): Promise<void> {
  const runId = `later-git-${++run}`
  await runtime.openRun({ runId, workspace, artifactsDir: join(root, 'artifacts'), networkAllowlist: [], unsandboxed: false })
  await runtime.execute({ runId, callId: 'call-1', call: builtinTools.prepareOrThrow('shell', JSON.stringify({ command, timeout_ms: 20_000 })) })
  await runtime.closeRun(runId)
}

/** The person's git in a terminal in `cwd`. */
function personGit(cwd: string, args: string[]): Promise<void> {
  return new Promise((resolve) => {
    const env = { PATH: '/usr/bin:/bin', HOME: personHome, TERM: 'xterm', GIT_CONFIG_NOSYSTEM: '1', GIT_EDITOR: 'true' }
    const terminal = spawnPty('git', args, { cwd, env, cols: 120, rows: 30 })
    terminal.onExit(() => resolve())
  })
}

beforeAll(async () => {
  mkdirSync(ws)
  mkdirSync(personHome)
  writeFileSync(join(personHome, '.gitconfig'), '[user]\n\tname = Pat Person\n\temail = pat@example.invalid\n')
  mkdirSync(outside)
  execFileSync('git', ['init', '-q', ws])
  runtime = new SandboxedToolRuntime({ dataDir: join(root, 'data'), home: join(root, 'sandbox-home'), hiddenPaths: [] })
})

afterAll(async () => {
  await runtime?.close()
  removeScratch(root)
})

describe("the person's git after a run never runs what the run planted", () => {
  test.each([
    ['whose HEAD is a symlink', 'mkdir -p objects refs/heads && ln -s refs/heads/main HEAD'],
    ['whose objects and refs are executable files', 'touch objects refs && chmod +x objects refs && echo "ref: refs/heads/main" > HEAD']
  ])('a bare repository %s (git accepts one) is taken apart like any other', async (_name, layout) => {
    const folder = `bare-${run}`
    const marker = join(outside, `pager-ran-${run}`)
    await inRun(`mkdir ${folder} && cd ${folder} && ${layout} && printf '[core]\\n\\tpager = "touch ${marker}; cat"\\n' > config`)
    await personGit(join(ws, folder), ['log'])
    await personGit(join(ws, folder), ['branch', '--list'])
    expect(existsSync(marker)).toBe(false)
  })
})

describe('a rebase the run leaves half done', () => {
  test('continuing it never runs a merge strategy the run named (a path into the work tree)', async () => {
    const repo = join(root, 'rebase')
    const marker = join(outside, 'strategy-ran')
    mkdirSync(repo)
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=p', '-c', 'user.email=p@x', ...args], { cwd: repo, encoding: 'utf8' })
    git('init', '-q', '-b', 'main')
    writeFileSync(join(repo, 'f'), 'one\n')
    git('add', 'f')
    git('commit', '-qm', 'one')
    await inRun(
      [
        'g() { git -c user.name=m -c user.email=m@x "$@"; }',
        'g checkout -qb side && echo side > f && g commit -qam side && echo x > h && g add h && g commit -qm side2',
        'g checkout -q main && echo main > f && g commit -qam main && g checkout -q side',
        'g rebase main >/dev/null 2>&1',
        "echo 'x/../planted.sh' > .git/rebase-merge/strategy && mkdir git-merge-x",
        `printf '#!/bin/sh\\ntouch ${marker}\\n' > planted.sh && chmod +x planted.sh`
      ].join('; '),
      repo
    )
    writeFileSync(join(repo, 'f'), 'side\n')
    git('add', 'f')
    await personGit(repo, ['rebase', '--continue'])
    expect(existsSync(marker)).toBe(false)
  })
})

describe('editor folders a workspace lacks cannot be created by a run', () => {
  test.each(['.zed', '.devcontainer', '.vscode', '.idea'])('%s', async (folder) => {
    await inRun(`mkdir -p ${folder}; echo '{"lsp":{"x":{"binary":{"path":"/bin/sh"}}}}' > ${folder}/settings.json; echo '{}' > ${folder}/devcontainer.json`)
    expect(existsSync(join(ws, folder)) ? readdirSync(join(ws, folder)) : null).toBe(null)
  })
})

