// `tether rewind` on a run whose shell commands (real ones, in the sandbox) created, changed,
// deleted, renamed, chmodded and linked files: every checkpoint restores byte- and mode-exact.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { foldRecords } from '../../../common/run/reduce'
import { ensureBuiltCli, runCli } from '../../../test-support/built-cli'
import { bash, folderDigest, isGitPath, workspaceTree } from '../../../test-support/workspace-tree'
import { scratch } from '../../../test-support/driver/driver-fixture'
import { DataDir } from '../../store/data-dir'
import { readRunLog } from '../../store/run-log-reader'

beforeAll(ensureBuiltCli, 120_000)

const made: string[] = []
afterEach(() => made.splice(0).forEach((path) => rmSync(path, { recursive: true, force: true })))

const COMMANDS = [
  'echo fresh > new.txt && printf "changed\\n" >> a.txt && rm gone.txt && mkdir -p empty/inner && chmod 600 secret.sh && ln -s a.txt link && echo noise >> debug.log',
  'mv new.txt renamed.txt && chmod 700 empty && rm link && ln -s nowhere link && printf "%s" "$(seq 1 500)" > big.txt && echo built > build/out.bin',
  // No `rm -r` and no `>` over an existing file: those ask in every mode, and nobody answers here.
  'rmdir empty/inner empty && rm sub/keep.txt && rmdir sub && echo last >> a.txt && chmod 640 a.txt'
]

const SCENARIO = {
  name: 'shell-effects',
  turns: [
    ...COMMANDS.map((command) => ({ output: [{ type: 'function_call', name: 'shell', arguments: { command, timeout_ms: null } }] })),
    { output: [{ type: 'message', text: 'Done.' }] }
  ]
}

const IGNORED = (path: string): boolean => isGitPath(path) || path === 'build' || path.startsWith('build/') || path.endsWith('.log')

function setUp(): { home: string; workspace: string; scenario: string; reference: string } {
  const root = scratch('cli-rewind')
  made.push(root)
  const workspace = join(root, 'workspace')
  mkdirSync(join(workspace, 'sub'), { recursive: true })
  writeFileSync(join(workspace, 'a.txt'), 'one\n')
  writeFileSync(join(workspace, 'gone.txt'), 'bye\n')
  writeFileSync(join(workspace, 'sub', 'keep.txt'), 'kept\n')
  writeFileSync(join(workspace, 'secret.sh'), '#!/bin/sh\n', { mode: 0o755 })
  writeFileSync(join(workspace, '.gitignore'), 'build/\n*.log\n')
  mkdirSync(join(workspace, 'build'))
  bash(workspace, 'git init -q . && git -c user.name=T -c user.email=t@example.invalid commit -q --allow-empty -m start && git add -A && git -c user.name=T -c user.email=t@example.invalid commit -qm files')
  const scenario = join(root, 'scenario.json')
  writeFileSync(scenario, JSON.stringify(SCENARIO))
  const reference = join(root, 'reference')
  cpSync(workspace, reference, { recursive: true, verbatimSymlinks: true })
  return { home: join(root, 'home'), workspace, scenario, reference }
}

describe('tether rewind', () => {
  it('restores the workspace exactly as it was before any call, earlier then later, and records it', async () => {
    const { home, workspace, scenario, reference } = setUp()
    // The state before each call, made by running the same commands outside Tether.
    const expected = [workspaceTree(reference, IGNORED)]
    for (const command of COMMANDS.slice(0, -1)) {
      bash(reference, command)
      expected.push(workspaceTree(reference, IGNORED))
    }
    const run = await runCli(['run', '--sim', '--scenario', scenario, '--approval', 'auto-in-sandbox', '--json', '--workspace', workspace, 'Shuffle files.'], { TETHER_HOME: home })
    expect(run.code).toBe(0)
    const runId = (JSON.parse(run.stdout.split('\n')[0]!) as { runId: string }).runId
    const callIds = foldRecords((await readRunLog(new DataDir(home).runLog(runId))).records).toolCallOrder
    expect(callIds).toHaveLength(3)

    const list = await runCli(['rewind', runId, '--list'], { TETHER_HOME: home })
    expect(list.stdout.trim().split('\n').map((line) => line.split('  ').slice(0, 2))).toEqual(callIds.map((callId) => [callId, 'shell']))

    const finished = workspaceTree(workspace, IGNORED)
    const gitDigest = folderDigest(join(workspace, '.git'))
    const ignored = workspaceTree(workspace, (path) => isGitPath(path) || !IGNORED(path))
    const dry = await runCli(['rewind', runId, '--before', callIds[0]!, '--dry-run'], { TETHER_HOME: home })
    expect(dry.code).toBe(0)
    const named = dry.stdout.trim().split('\n').map((line) => line.slice(8).split(' ')[0]!.replace(/\/$/, ''))
    const differing = [...new Set([...Object.keys(finished), ...Object.keys(expected[0]!)])].filter((path) => finished[path] !== expected[0]![path])
    expect(named.sort()).toEqual(differing.sort())
    expect(workspaceTree(workspace, IGNORED)).toEqual(finished)

    for (const index of [0, 2, 1]) {
      const rewound = await runCli(['rewind', runId, '--before', callIds[index]!], { TETHER_HOME: home })
      expect({ code: rewound.code, stderr: rewound.stderr }).toMatchObject({ code: 0 })
      expect(workspaceTree(workspace, IGNORED)).toEqual(expected[index])
      expect(folderDigest(join(workspace, '.git'))).toBe(gitDigest)
      expect(workspaceTree(workspace, (path) => isGitPath(path) || !IGNORED(path))).toEqual(ignored)
    }
    const state = foldRecords((await readRunLog(new DataDir(home).runLog(runId))).records)
    expect(state.rewinds.map((rewind) => rewind.beforeCallId)).toEqual([callIds[0], callIds[2], callIds[1]])
    expect(state.toolCalls[callIds[0]!]?.changes?.paths).toEqual(['a.txt', 'empty', 'empty/inner', 'gone.txt', 'link', 'new.txt', 'secret.sh'])

    const unknown = await runCli(['rewind', runId, '--before', 'call_nope'], { TETHER_HOME: home })
    expect({ code: unknown.code, stderr: unknown.stderr.trim() }).toEqual({
      code: 1,
      stderr: 'tether rewind: no checkpoint before call call_nope (`tether rewind RUN_ID --list` shows the calls that have one)'
    })
  }, 120_000)
})
