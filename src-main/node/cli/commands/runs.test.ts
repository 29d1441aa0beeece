// `tether runs` as a person runs it: the built CLI in a child process, on a data dir of real logs.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensureBuiltCli, runCli } from '../../../test-support/built-cli'
import { runStarted, T0 } from '../../../test-support/run-records'
import { useTempDirs } from '../../../test-support/temp-dir'
import { DataDir } from '../../store/data-dir'
import { RunLogWriter } from '../../store/run-log-writer'

const tempDir = useTempDirs('tether-cli-runs-')

beforeAll(ensureBuiltCli, 120_000)

async function dataDirWithTwoRuns(): Promise<{ home: string; first: string; second: string }> {
  const home = await tempDir()
  const dataDir = new DataDir(home)
  await mkdir(dataDir.runs, { recursive: true })
  const write = async (runId: string, start: number, finished: boolean): Promise<string> => {
    let now = start
    const writer = await RunLogWriter.create(dataDir.runLog(runId), () => (now += 1500) - 1500)
    writer.append(runStarted({ runId, workspace: `/home/ada/src/${runId}` }))
    writer.append({ type: 'user.input', kind: 'task', text: 'fix the build' })
    if (finished) writer.append({ type: 'run.finished', outcome: 'failed', reason: 'model error' })
    await writer.close()
    return dataDir.runLog(runId)
  }
  return { home, first: await write('run_20260101T000000Z_aaaaaa', T0, true), second: await write('run_20260101T001000Z_bbbbbb', T0 + 600_000, false) }
}

describe('tether runs', () => {
  it('lists the runs of TETHER_HOME as JSON, newest first', async () => {
    const { home, first, second } = await dataDirWithTwoRuns()
    const result = await runCli(['runs', '--json'], { TETHER_HOME: home })
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    expect(JSON.parse(result.stdout)).toEqual([
      {
        id: 'run_20260101T001000Z_bbbbbb',
        workspace: '/home/ada/src/run_20260101T001000Z_bbbbbb',
        model: 'gpt-5.2',
        status: 'unfinished',
        startedAt: T0 + 600_000,
        durationMs: 1500,
        path: second
      },
      {
        id: 'run_20260101T000000Z_aaaaaa',
        workspace: '/home/ada/src/run_20260101T000000Z_aaaaaa',
        model: 'gpt-5.2',
        status: 'failed',
        startedAt: T0,
        durationMs: 3000,
        path: first
      }
    ])
  })

  it('lists them as text: id, status, start, duration, workspace and path', async () => {
    const { home, first, second } = await dataDirWithTwoRuns()
    expect(await runCli(['runs'], { TETHER_HOME: home })).toEqual({
      code: 0,
      stdout: [
        `run_20260101T001000Z_bbbbbb  unfinished  ${new Date(T0 + 600_000).toISOString()}      1.5s  /home/ada/src/run_20260101T001000Z_bbbbbb`,
        `  ${second}`,
        `run_20260101T000000Z_aaaaaa  failed      ${new Date(T0).toISOString()}      3.0s  /home/ada/src/run_20260101T000000Z_aaaaaa`,
        `  ${first}`,
        ''
      ].join('\n'),
      stderr: ''
    })
  })

  it('says so when there are no runs yet', async () => {
    const home = await tempDir()
    expect(await runCli(['runs'], { TETHER_HOME: home })).toEqual({ code: 0, stdout: 'no runs yet\n', stderr: '' })
    expect(await runCli(['runs', '--json'], { TETHER_HOME: join(home, 'fresh') })).toEqual({ code: 0, stdout: '[]\n', stderr: '' })
  })
})
