import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RunRecordBody } from '../../common/run/records'
import { runStarted, T0 } from '../../test-support/run-records'
import { useTempDirs } from '../../test-support/temp-dir'
import { DataDir } from './data-dir'
import { listRuns } from './run-index'
import { RunLogWriter } from './run-log-writer'

const tempDir = useTempDirs('tether-index-')

async function writeRun(dataDir: DataDir, runId: string, startedAt: number, bodies: RunRecordBody[]): Promise<string> {
  let now = startedAt
  const path = dataDir.runLog(runId)
  const writer = await RunLogWriter.create(path, () => (now += 1000) - 1000)
  for (const body of bodies) writer.append(body)
  await writer.close()
  return path
}

async function dataDirWithRuns() {
  const dataDir = new DataDir(await tempDir())
  await listRuns(dataDir) // creates runs/
  const finished = await writeRun(dataDir, 'run_a', T0, [
    runStarted({ runId: 'run_a', workspace: '/home/ada/src/app' }),
    { type: 'user.input', kind: 'task', text: 'fix it' },
    { type: 'run.finished', outcome: 'completed', reason: null }
  ])
  const unfinished = await writeRun(dataDir, 'run_b', T0 + 60_000, [
    runStarted({ runId: 'run_b', workspace: '/home/ada/src/lib', model: 'grok-4' }),
    { type: 'user.input', kind: 'task', text: 'port it' },
    { type: 'tool.started', callId: 'call_1', name: 'shell', arguments: '{}' }
  ])
  // Killed while writing: a torn last line.
  await appendFile(unfinished, '{"v":1,"seq":3,"ts":')
  const headless = await writeRun(dataDir, 'run_c', T0 + 120_000, [{ type: 'user.input', kind: 'task', text: 'no header' }])
  await writeFile(join(dataDir.runs, 'notes.txt'), 'not a log')
  return { dataDir, finished, unfinished, headless }
}

describe('listRuns', () => {
  it('lists every run newest first, from the logs alone', async () => {
    const { dataDir, finished, unfinished, headless } = await dataDirWithRuns()
    expect(await listRuns(dataDir)).toEqual([
      { id: 'run_c', workspace: null, model: null, status: 'unfinished', startedAt: T0 + 120_000, durationMs: 0, path: headless },
      { id: 'run_b', workspace: '/home/ada/src/lib', model: 'grok-4', status: 'unfinished', startedAt: T0 + 60_000, durationMs: 2000, path: unfinished },
      { id: 'run_a', workspace: '/home/ada/src/app', model: 'gpt-5.2', status: 'completed', startedAt: T0, durationMs: 2000, path: finished }
    ])
  })

  it('lists from several callers at once (the CLI and the app share the index)', async () => {
    const { dataDir } = await dataDirWithRuns()
    await writeFile(dataDir.runIndex, '')
    const listings = await Promise.all([listRuns(dataDir), listRuns(dataDir), listRuns(dataDir)])
    expect(listings[1]).toEqual(listings[0])
    expect(listings[2]).toEqual(listings[0])
    expect((await readdir(dataDir.runs)).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  it('is empty for a fresh data dir', async () => {
    expect(await listRuns(new DataDir(await tempDir()))).toEqual([])
  })

  it('serves unchanged logs from the index and rescans a log that changed', async () => {
    const { dataDir, finished } = await dataDirWithRuns()
    const first = await listRuns(dataDir)
    // Edit the cached listing: if the index is used, the edit shows.
    const index = JSON.parse(await readFile(dataDir.runIndex, 'utf8')) as { entries: Record<string, { listing: { workspace: string } }> }
    index.entries['run_a.jsonl']!.listing.workspace = 'from the index'
    await writeFile(dataDir.runIndex, JSON.stringify(index))
    expect((await listRuns(dataDir)).find((run) => run.id === 'run_a')?.workspace).toBe('from the index')

    const { writer } = await RunLogWriter.openExisting(finished, () => T0 + 9000)
    await writer.appendDurable({ type: 'run.resumed', reason: 'one more thing' })
    await writer.close()
    const after = await listRuns(dataDir)
    expect(after.find((run) => run.id === 'run_a')).toEqual({ ...first.find((run) => run.id === 'run_a'), status: 'unfinished', durationMs: 9000 })
  })

  it('rebuilds a damaged index and never deletes a log', async () => {
    const { dataDir } = await dataDirWithRuns()
    const expected = await listRuns(dataDir)
    await writeFile(dataDir.runIndex, '{"version":1,"entr')
    expect(await listRuns(dataDir)).toEqual(expected)
    expect((await readdir(dataDir.runs)).sort()).toEqual(['index.json', 'notes.txt', 'run_a.jsonl', 'run_b.jsonl', 'run_c.jsonl'])
  })
})
