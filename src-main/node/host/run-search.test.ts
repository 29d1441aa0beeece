import { appendFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RunRecordBody } from '../../common/run/records'
import { runStarted } from '../../test-support/run-records'
import { sampleRun } from '../../test-support/sample-run'
import { useTempDirs } from '../../test-support/temp-dir'
import { DataDir } from '../store/data-dir'
import { RunLogWriter } from '../store/run-log-writer'
import { RunSearch } from './run-search'

const tempDir = useTempDirs('tether-run-search-')

async function writeRun(dataDir: DataDir, id: string, bodies: RunRecordBody[]): Promise<{ id: string; path: string }> {
  await mkdir(dataDir.runs, { recursive: true })
  const writer = await RunLogWriter.create(dataDir.runLog(id))
  for (const body of bodies) writer.append(body)
  await writer.close()
  return { id, path: dataDir.runLog(id) }
}

function withTask(task: string): RunRecordBody[] {
  return sampleRun().map((body) => (body.type === 'user.input' && body.kind === 'task' ? { ...body, text: task } : body))
}

describe('RunSearch', () => {
  it('finds runs by task, later messages, answers and commands, case folded, one hit per run', async () => {
    const dataDir = new DataDir(join(await tempDir(), 'data'))
    const cart = await writeRun(dataDir, 'run_20260101T000000Z_aaaaaa', withTask('Fix the rounding in src/cart.ts'))
    const other = await writeRun(dataDir, 'run_20260101T000000Z_bbbbbb', [runStarted(), { type: 'user.input', kind: 'task', text: 'Update the README' }])
    const search = new RunSearch()
    expect(await search.search('ROUNDING', [cart, other])).toEqual([{ runId: cart.id, field: 'task', snippet: 'Fix the rounding in src/cart.ts' }])
    expect(await search.search('linter', [cart, other])).toEqual([{ runId: cart.id, field: 'message', snippet: 'Also run the linter' }])
    expect(await search.search('12 tests pass', [cart, other])).toEqual([{ runId: cart.id, field: 'answer', snippet: 'All 12 tests pass.' }])
    expect(await search.search('npm test', [cart, other])).toEqual([{ runId: cart.id, field: 'command', snippet: '{"command":"npm test"}' }])
    expect(await search.search('readme', [cart, other])).toEqual([{ runId: other.id, field: 'task', snippet: 'Update the README' }])
    expect(await search.search('   ', [cart, other])).toEqual([])
  })

  it('reads a log again once it has grown', async () => {
    const dataDir = new DataDir(join(await tempDir(), 'data'))
    const run = await writeRun(dataDir, 'run_20260101T000000Z_cccccc', [runStarted(), { type: 'user.input', kind: 'task', text: 'First task' }])
    const search = new RunSearch()
    expect(await search.search('second', [run])).toEqual([])
    const writer = (await RunLogWriter.openExisting(run.path)).writer
    writer.append({ type: 'user.input', kind: 'steer', text: 'A second thought' })
    await writer.close()
    expect(await search.search('second', [run])).toEqual([{ runId: run.id, field: 'message', snippet: 'A second thought' }])
  })

  it('shows a long match with context on one line', async () => {
    const dataDir = new DataDir(join(await tempDir(), 'data'))
    const long = `${'word '.repeat(40)}needle\nin a\thaystack ${'more '.repeat(40)}`
    const run = await writeRun(dataDir, 'run_20260101T000000Z_dddddd', [runStarted(), { type: 'user.input', kind: 'task', text: long }])
    const [hit] = await new RunSearch().search('needle', [run])
    expect(hit?.snippet).toMatch(/^…(word )+needle in a haystack (more )+\S*…$/)
  })

  it('skips a log it cannot read', async () => {
    const dataDir = new DataDir(join(await tempDir(), 'data'))
    await mkdir(dataDir.runs, { recursive: true })
    await appendFile(dataDir.runLog('run_20260101T000000Z_eeeeee'), 'not a log\n')
    expect(await new RunSearch().search('x', [{ id: 'run_20260101T000000Z_eeeeee', path: dataDir.runLog('run_20260101T000000Z_eeeeee') }, { id: 'missing', path: join(dataDir.runs, 'missing.jsonl') }])).toEqual([])
  })
})
