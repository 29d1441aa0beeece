// `tether run` on a terminal: the approval prompt, and a pending approval that survives the
// process being killed and is asked again on resume.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import pty from 'node-pty'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { foldRecords } from '../../../common/run/reduce'
import { ensureBuiltCli, runCli } from '../../../test-support/built-cli'
import { scratch } from '../../../test-support/driver/driver-fixture'
import { DataDir } from '../../store/data-dir'
import { readRunLog } from '../../store/run-log-reader'

beforeAll(ensureBuiltCli, 120_000)

const made: string[] = []
afterEach(() => made.splice(0).forEach((path) => rmSync(path, { recursive: true, force: true })))

const ROOT = join(import.meta.dirname, '..', '..', '..', '..')
const CLI = join(ROOT, 'bin', 'tether.js')
const PROMPT = '[y] allow once'

interface Terminal {
  output: () => string
  waitFor: (text: string) => Promise<void>
  write: (data: string) => void
  exited: Promise<number>
  kill: () => void
}

function onTerminal(args: string[], home: string): Terminal {
  const child = pty.spawn(process.execPath, [CLI, ...args], {
    cols: 160,
    rows: 50,
    cwd: ROOT,
    env: { ...process.env, TETHER_HOME: home } as Record<string, string>
  })
  let output = ''
  const waiters: { text: string; resolve: () => void }[] = []
  child.onData((data) => {
    output += data
    for (const waiter of waiters.filter((w) => output.includes(w.text))) {
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve()
    }
  })
  const exited = new Promise<number>((resolve) => child.onExit(({ exitCode }) => resolve(exitCode)))
  return {
    output: () => output,
    waitFor: (text) =>
      output.includes(text)
        ? Promise.resolve()
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no '${text}' within 40 s; the terminal shows:\n${output.slice(-2000)}`)), 40_000)
            waiters.push({ text, resolve: () => (clearTimeout(timer), resolve()) })
          }),
    write: (data) => child.write(data),
    exited,
    kill: () => child.kill('SIGKILL')
  }
}

function demoWorkspace(): { home: string; workspace: string } {
  const root = scratch('cli-approval')
  made.push(root)
  const workspace = join(root, 'workspace')
  mkdirSync(workspace)
  cpSync(join(ROOT, 'resources', 'sample-repo'), workspace, { recursive: true })
  return { home: join(root, 'home'), workspace }
}

describe('tether run on a terminal', () => {
  it('asks again after a restart for the approval that was pending, and runs the command once allowed', async () => {
    const { home, workspace } = demoWorkspace()
    const first = onTerminal(['run', '--sim', '--workspace', workspace, 'Rebuild the stale build directory.'], home)
    await first.waitFor(PROMPT)
    expect(first.output()).toContain('rm -rf build && node scripts/build.js')
    first.kill()
    await first.exited
    expect(existsSync(join(workspace, 'build', 'format.js'))).toBe(true)

    const listed = JSON.parse((await runCli(['runs', '--json'], { TETHER_HOME: home })).stdout) as { id: string }[]
    expect(listed).toHaveLength(1)
    const runId = listed[0]!.id
    const second = onTerminal(['run', '--resume', runId, '--sim'], home)
    await second.waitFor(PROMPT)
    second.write('y\r')
    expect(await second.exited).toBe(0)

    const records = (await readRunLog(new DataDir(home).runLog(runId))).records
    const requested = records.filter((record) => record.type === 'approval.requested')
    const decided = records.filter((record) => record.type === 'approval.decided')
    expect(requested).toHaveLength(1)
    expect(decided.map((record) => ({ callId: record.callId, decision: record.decision, by: record.by }))).toEqual([
      { callId: requested[0]!.callId, decision: 'allow', by: 'person' }
    ])
    expect(foldRecords(records).status).toBe('completed')
    // The stale file is gone: the command ran, once.
    expect(existsSync(join(workspace, 'build', 'format.js'))).toBe(false)
    expect(existsSync(join(workspace, 'build', 'manifest.json'))).toBe(true)
  }, 90_000)

  it('tells the model why when the person denies', async () => {
    const { home, workspace } = demoWorkspace()
    const run = onTerminal(['run', '--sim', '--workspace', workspace, 'Rebuild the stale build directory.'], home)
    await run.waitFor(PROMPT)
    run.write('n\r')
    await run.waitFor('tell the model why')
    run.write('keep the old build for now\r')
    expect(await run.exited).toBe(0)
    expect(existsSync(join(workspace, 'build', 'format.js'))).toBe(true)
    const listed = JSON.parse((await runCli(['runs', '--json'], { TETHER_HOME: home })).stdout) as { id: string }[]
    const state = foldRecords((await readRunLog(new DataDir(home).runLog(listed[0]!.id))).records)
    const denied = Object.values(state.toolCalls).find((call) => call.status === 'denied')
    expect(denied?.output).toContain('keep the old build for now')
  }, 90_000)
})
