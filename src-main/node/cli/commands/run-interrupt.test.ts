// Ctrl-C in the terminal during `tether run`: the terminal signals the CLI's whole foreground
// process group. The run is interrupted; the call ends as interrupted, not with a tool host or
// script runner that died under it.
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { foldRecords } from '../../../common/run/reduce'
import { ensureBuiltCli } from '../../../test-support/built-cli'
import { scratch } from '../../../test-support/driver/driver-fixture'
import { onRecordLines } from '../../../test-support/record-lines'
import { DataDir } from '../../store/data-dir'
import { readRunLog } from '../../store/run-log-reader'

beforeAll(ensureBuiltCli, 120_000)

const made: string[] = []
afterEach(() => made.splice(0).forEach((path) => rmSync(path, { recursive: true, force: true })))

const CLI = join(import.meta.dirname, '..', '..', '..', '..', 'bin', 'tether.js')

/** A call that takes long enough to be interrupted: a shell command, or a script (whose runner is a grandchild, inside bubblewrap). */
const SLOW_CALLS = {
  shell: { name: 'shell', arguments: { command: 'echo sleeping; sleep 30', timeout_ms: null } },
  script: { name: 'script', arguments: { code: "console.log('sleeping'); const until = Date.now() + 1800; while (Date.now() < until) {} 'done'" } }
}

describe('tether run and Ctrl-C', () => {
  it.each(Object.entries(SLOW_CALLS))('interrupts the run, and its %s call ends as interrupted while the tool side lives on', async (_, call) => {
    const root = scratch('cli-interrupt')
    made.push(root)
    const workspace = join(root, 'workspace')
    mkdirSync(workspace)
    const scenario = join(root, 'scenario.json')
    writeFileSync(scenario, JSON.stringify({ name: 'interrupted-from-the-terminal', turns: [{ output: [{ type: 'function_call', ...call }] }, { output: [{ type: 'message', text: 'Done.' }] }] }))
    const home = join(root, 'home')
    // Its own process group, as a terminal's foreground job is: the signal goes to the whole group.
    const child = spawn(process.execPath, [CLI, 'run', '--sim', '--scenario', scenario, '--approval', 'auto-in-sandbox', '--json', '--workspace', workspace, 'Wait.'], {
      env: { ...process.env, TETHER_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true
    })
    let runId: string | null = null
    let interrupted = false
    const interrupt = (): void => {
      if (interrupted) return
      interrupted = true
      process.kill(-child.pid!, 'SIGINT')
    }
    onRecordLines(child.stdout, (record) => {
      if (record.type === 'run.started') runId = record.runId
      // A script's logs come with its result; it is interrupted once it has started.
      if ((record.type === 'tool.output' && record.data.includes('sleeping')) || (record.type === 'tool.started' && call.name === 'script')) interrupt()
    })
    const code = await new Promise((resolve) => child.on('close', resolve))
    expect(runId).not.toBeNull()
    const state = foldRecords((await readRunLog(new DataDir(home).runLog(runId!))).records)
    const ended = state.toolCalls[state.toolCallOrder[0]!]
    expect({ code, run: state.status, call: ended?.status, died: /stopped unexpectedly|runner stopped/.test(ended?.output ?? '') }).toEqual({
      code: 130,
      run: 'interrupted',
      call: 'interrupted',
      died: false
    })
  }, 60_000)
})
