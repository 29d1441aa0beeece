// The store folds each log once however many ask for it at the same time, keeps the last few
// runs opened, and hands a run over to its driver and back without reading its log again.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { foldRecords } from '../../common/run/reduce'
import { seededRandom } from '../../test-support/prng'
import { DEFAULT_SHAPE, generateRun } from '../../test-support/run-generator'
import { stamp } from '../../test-support/run-records'
import { useTempDirs } from '../../test-support/temp-dir'
import { encodeRecord } from '../store/record-codec'
import { ReplayIndexes } from './replay-indexes'
import { RunStore } from './run-store'

const tempDir = useTempDirs('tether-run-store-')

async function writeRuns(folder: string, count: number): Promise<Map<string, ReturnType<typeof stamp>>> {
  const runs = new Map<string, ReturnType<typeof stamp>>()
  for (let index = 0; index < count; index++) {
    const records = stamp(generateRun(seededRandom(100 + index), { ...DEFAULT_SHAPE, turns: 4 }))
    await writeFile(join(folder, `run-${index}.jsonl`), records.map(encodeRecord).join(''))
    runs.set(`run-${index}`, records)
  }
  return runs
}

describe('RunStore', () => {
  it('folds a log once for every view asking at the same time, and the state is the log fold', async () => {
    const folder = await tempDir()
    const runs = await writeRuns(folder, 1)
    const store = new RunStore(new ReplayIndexes((runId) => join(folder, `${runId}.jsonl`)))
    const [first, second] = await Promise.all([store.load('run-0'), store.load('run-0')])
    expect(second).toBe(first)
    expect(first.state).toStrictEqual(foldRecords(runs.get('run-0')!))
    expect(await store.load('run-0')).toBe(first)
  })

  it('keeps only the last few runs opened', async () => {
    const folder = await tempDir()
    await writeRuns(folder, 5)
    const store = new RunStore(new ReplayIndexes((runId) => join(folder, `${runId}.jsonl`)), 2)
    for (let index = 0; index < 5; index++) await store.load(`run-${index}`)
    expect(store.size).toBe(2)
    const kept = await store.load('run-4')
    expect(await store.load('run-4')).toBe(kept)
    // An evicted run is folded again when asked for: a new object with the same state.
    const again = await store.load('run-0')
    expect(again.state).toStrictEqual((await new RunStore(new ReplayIndexes((runId) => join(folder, `${runId}.jsonl`))).load('run-0')).state)
    expect(store.size).toBe(2)
  })

  it('lets a driver take a run over and give back its last state', async () => {
    const folder = await tempDir()
    const runs = await writeRuns(folder, 1)
    const store = new RunStore(new ReplayIndexes((runId) => join(folder, `${runId}.jsonl`)))
    await store.load('run-0')
    store.release('run-0')
    expect(store.size).toBe(0)
    const last = foldRecords(runs.get('run-0')!)
    store.keep('run-0', last)
    expect((await store.load('run-0')).state).toStrictEqual(last)
  })

  it('reports a log that is not there as the file system does', async () => {
    const folder = await tempDir()
    const store = new RunStore(new ReplayIndexes((runId) => join(folder, `${runId}.jsonl`)))
    await expect(store.load('missing')).rejects.toMatchObject({ code: 'ENOENT' })
    expect(store.size).toBe(0)
  })
})
