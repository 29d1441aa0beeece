// `tether run --resume ID` with the person's new flags, as a person runs it: the built CLI against
// the built-in sim, killed mid-run, then resumed read-only.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { foldRecords } from '../../../common/run/reduce'
import { ensureBuiltCli, runCli } from '../../../test-support/built-cli'
import { scratch } from '../../../test-support/driver/driver-fixture'
import { onRecordLines } from '../../../test-support/record-lines'
import { DataDir } from '../../store/data-dir'
import { readRunLog } from '../../store/run-log-reader'

beforeAll(ensureBuiltCli, 120_000)

const made: string[] = []
afterEach(() => made.splice(0).forEach((path) => rmSync(path, { recursive: true, force: true })))

const CLI = join(import.meta.dirname, '..', '..', '..', '..', 'bin', 'tether.js')

/** A slow first command to be killed in, then a command that writes to the workspace. */
const SCENARIO = {
  name: 'resumed-read-only',
  turns: [
    { output: [{ type: 'function_call', name: 'shell', arguments: { command: 'echo sleeping; sleep 30', timeout_ms: null } }] },
    { output: [{ type: 'function_call', name: 'shell', arguments: { command: 'echo written > ledger.txt', timeout_ms: null } }] },
    { output: [{ type: 'message', text: 'Done.' }] }
  ]
}

/** Starts a run and kills the CLI once its first command runs; resolves to the run's id. */
async function startAndKill(home: string, workspace: string, scenario: string): Promise<string> {
  const child = spawn(process.execPath, [CLI, 'run', '--sim', '--scenario', scenario, '--approval', 'auto-in-sandbox', '--json', '--workspace', workspace, 'Write the ledger.'], {
    env: { ...process.env, TETHER_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let runId: string | null = null
  onRecordLines(child.stdout, (record) => {
    if (record.type === 'run.started') runId = record.runId
    if (record.type === 'tool.output' && record.data.includes('sleeping')) child.kill('SIGKILL')
  })
  await new Promise((resolve) => child.on('close', resolve))
  if (runId === null) throw new Error('the run never started')
  return runId
}

/** A run killed in its first command, in a fresh home and workspace. */
async function killedRun(): Promise<{ home: string; workspace: string; scenario: string; runId: string }> {
  const root = scratch('cli-resume')
  made.push(root)
  const workspace = join(root, 'workspace')
  mkdirSync(workspace)
  const scenario = join(root, 'scenario.json')
  writeFileSync(scenario, JSON.stringify(SCENARIO))
  const home = join(root, 'home')
  return { home, workspace, scenario, runId: await startAndKill(home, workspace, scenario) }
}

describe('tether run --resume with new settings', () => {
  it('--approval read-only: the resumed run runs read-only and says what it applied', async () => {
    const { home, workspace, scenario, runId } = await killedRun()

    const resumed = await runCli(['run', '--resume', runId, '--scenario', scenario, '--approval', 'read-only', '--transport', 'sse', '--json'], { TETHER_HOME: home })
    expect(resumed.code).toBe(0)
    expect(resumed.stderr).toContain('resuming with --transport sse (was ws), --approval read-only (was auto-in-sandbox)')
    const state = foldRecords((await readRunLog(new DataDir(home).runLog(runId))).records)
    expect({ status: state.status, approvalMode: state.settings?.approvalMode, transport: state.settings?.transport }).toEqual({
      status: 'completed',
      approvalMode: 'read-only',
      transport: 'sse'
    })
    // With nobody to ask, read-only refuses the write instead of running it.
    expect(state.toolCallOrder.map((callId) => state.toolCalls[callId]?.status)).toEqual(['interrupted', 'denied'])
    expect(existsSync(join(workspace, 'ledger.txt'))).toBe(false)
  }, 60_000)

  it('says so when the flags change nothing', async () => {
    const { home, workspace, scenario, runId } = await killedRun()
    const resumed = await runCli(['run', '--resume', runId, '--scenario', scenario, '--approval', 'auto-in-sandbox', '--json'], { TETHER_HOME: home })
    expect(resumed.code).toBe(0)
    expect(resumed.stderr).toContain('resuming with --approval auto-in-sandbox (already so)')
    expect(existsSync(join(workspace, 'ledger.txt'))).toBe(true)
  }, 60_000)
})
