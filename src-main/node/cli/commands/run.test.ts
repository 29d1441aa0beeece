// `tether run` as a person runs it: the built CLI against the built-in sim, killed mid-run and
// resumed from its log.
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startSim } from '../../../../sim'
import type { RunRecord } from '../../../common/run/records'
import { foldRecords } from '../../../common/run/reduce'
import { ensureBuiltCli, runCli } from '../../../test-support/built-cli'
import { DataDir } from '../../store/data-dir'
import { readRunLog } from '../../store/run-log-reader'
import { scratch } from '../../../test-support/driver/driver-fixture'
import { onRecordLines } from '../../../test-support/record-lines'

beforeAll(ensureBuiltCli, 120_000)

const made: string[] = []
afterEach(() => made.splice(0).forEach((path) => rmSync(path, { recursive: true, force: true })))

const CLI = join(import.meta.dirname, '..', '..', '..', '..', 'bin', 'tether.js')

/** A scenario whose second command is slow enough to be killed in the middle. */
const SCENARIO = {
  name: 'killed-mid-run',
  turns: [
    { output: [{ type: 'function_call', name: 'shell', arguments: { command: 'echo one >> ledger.txt', timeout_ms: null } }] },
    { output: [{ type: 'function_call', name: 'shell', arguments: { command: 'echo sleeping; sleep 2; echo two >> ledger.txt', timeout_ms: null } }] },
    { output: [{ type: 'function_call', name: 'shell', arguments: { command: 'echo three >> ledger.txt', timeout_ms: null } }] },
    { output: [{ type: 'message', text: 'Ledger written.' }] }
  ]
}

function setUp(): { home: string; workspace: string; scenario: string } {
  const root = scratch('cli-run')
  made.push(root)
  const workspace = join(root, 'workspace')
  mkdirSync(workspace)
  const scenario = join(root, 'scenario.json')
  writeFileSync(scenario, JSON.stringify(SCENARIO))
  return { home: join(root, 'home'), workspace, scenario }
}

describe('tether run', () => {
  it('talks to any compatible server with TETHER_API_KEY, and the key appears in no output and no log', async () => {
    const { home, workspace, scenario } = setUp()
    const key = 'sk-test-do-not-leak-8d2f'
    const sim = await startSim({ scenario, apiKey: key })
    try {
      const result = await runCli(['run', '--base-url', sim.baseUrl, '--approval', 'auto-in-sandbox', '--json', '--workspace', workspace, 'Write the ledger.'], { TETHER_HOME: home, TETHER_API_KEY: key })
      expect(result.code).toBe(0)
      const logs = readdirSync(new DataDir(home).runs).filter((name) => name.endsWith('.jsonl'))
      const logged = logs.map((name) => readFileSync(join(new DataDir(home).runs, name), 'utf8')).join('')
      expect({ stdout: result.stdout.includes(key), stderr: result.stderr.includes(key), log: logged.includes(key), logs: logs.length }).toEqual({
        stdout: false,
        stderr: false,
        log: false,
        logs: 1
      })
      const wrongKey = await runCli(['run', '--base-url', sim.baseUrl, '--json', '--workspace', workspace, 'Write the ledger.'], { TETHER_HOME: home, TETHER_API_KEY: 'sk-wrong' })
      expect(wrongKey.code).toBe(1)
      expect(wrongKey.stdout).toContain('HTTP 401')
    } finally {
      await sim.stop()
    }
  })

  it('runs headless against the sim, one JSON record per line, and exits 0', async () => {
    const { home, workspace, scenario } = setUp()
    const result = await runCli(['run', '--sim', '--scenario', scenario, '--approval', 'auto-in-sandbox', '--json', '--workspace', workspace, 'Write the ledger.'], { TETHER_HOME: home })
    expect(result.code).toBe(0)
    const records = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as RunRecord)
    expect(records[0]?.type).toBe('run.started')
    expect(records.at(-1)).toMatchObject({ type: 'run.finished', outcome: 'completed' })
    expect(readFileSync(join(workspace, 'ledger.txt'), 'utf8')).toBe('one\ntwo\nthree\n')
    const runId = (records[0] as Extract<RunRecord, { type: 'run.started' }>).runId
    // stdout is the log, byte for byte with its checksums, and `tether replay -` folds it to the run's end.
    expect(result.stdout).toBe(readFileSync(new DataDir(home).runLog(runId), 'utf8'))
    const replayed = JSON.parse(execFileSync(process.execPath, [CLI, 'replay', '--json', '-'], { input: result.stdout, encoding: 'utf8' })) as { status: string; messages: string[] }
    const fromLog = JSON.parse(execFileSync(process.execPath, [CLI, 'replay', '--json', new DataDir(home).runLog(runId)], { encoding: 'utf8' })) as unknown
    expect(replayed).toEqual(fromLog)
    expect(replayed.status).toBe('completed')
  })

  it('resumes after the process is killed mid-run: finished calls are not re-run, the interrupted one is reported', async () => {
    const { home, workspace, scenario } = setUp()
    const child = spawn(process.execPath, [CLI, 'run', '--sim', '--scenario', scenario, '--approval', 'auto-in-sandbox', '--json', '--workspace', workspace, 'Write the ledger.'], {
      env: { ...process.env, TETHER_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let runId: string | null = null
    await new Promise<void>((resolve) => {
      onRecordLines(child.stdout, (record) => {
        if (record.type === 'run.started') runId = record.runId
        // Output means the command runs, so its `tool.started` is on disk (it is synced before the tool starts).
        if (record.type === 'tool.output' && record.data.includes('sleeping')) {
          child.kill('SIGKILL')
          resolve()
        }
      })
    })
    await new Promise((resolve) => child.on('close', resolve))
    expect(runId).not.toBeNull()
    expect(readFileSync(join(workspace, 'ledger.txt'), 'utf8')).toBe('one\n')

    // The in-process sim died with the process; resuming starts it again on the same script.
    const resumed = await runCli(['run', '--resume', runId!, '--scenario', scenario, '--json'], { TETHER_HOME: home })
    expect(resumed.code).toBe(0)
    await new Promise((resolve) => setTimeout(resolve, 2500))
    // The killed command's sandbox died with it: `two` never lands, and `one` is not written again.
    expect(readFileSync(join(workspace, 'ledger.txt'), 'utf8')).toBe('one\nthree\n')
    const state = foldRecords((await readRunLog(new DataDir(home).runLog(runId!))).records)
    expect(state.status).toBe('completed')
    expect(state.resumes).toBe(1)
    expect(state.toolCallOrder.map((callId) => state.toolCalls[callId]?.status)).toEqual(['ok', 'interrupted', 'ok'])
    expect(execFileSync(process.execPath, [CLI, 'replay', '--json', new DataDir(home).runLog(runId!)], { encoding: 'utf8' })).toContain('"Ledger written."')
  }, 60_000)
})
