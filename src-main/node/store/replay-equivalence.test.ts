// The run log is the source of truth: the state folded live while a run appends must equal the
// state folded from the file, for many generated runs, and `tether replay --json` on the file
// must print the summary of that same state.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { syncPointOf } from '../../common/run/sync-point'
import { foldRecords, reduce } from '../../common/run/reduce'
import type { RunState } from '../../common/run/state'
import { initialRunState } from '../../common/run/state'
import { summarize } from '../../common/run/summary'
import { ensureBuiltCli, runCli } from '../../test-support/built-cli'
import { seededRandom } from '../../test-support/prng'
import { DEFAULT_SHAPE, generateRun } from '../../test-support/run-generator'
import { T0 } from '../../test-support/run-records'
import { useTempDirs } from '../../test-support/temp-dir'
import { parseRunLog } from './run-log-reader'
import { RunLogWriter } from './run-log-writer'

const RUNS = 40
const tempDir = useTempDirs('tether-replay-')

interface LiveRun {
  path: string
  state: RunState
  records: number
}

/** Appends a generated run the way the run driver does, folding each record as it is appended. */
async function recordLive(seed: number, folder: string, checkPrefixes: boolean): Promise<LiveRun> {
  const random = seededRandom(seed)
  const bodies = generateRun(random, { ...DEFAULT_SHAPE, turns: random.int(1, 12) })
  const path = join(folder, `run-${seed}.jsonl`)
  let tick = T0
  const writer = await RunLogWriter.create(path, () => (tick += random.int(0, 40)))
  let state = initialRunState
  for (const body of bodies) {
    const record = writer.append(body)
    state = reduce(state, record)
    if (syncPointOf(body) === 'wait') {
      await writer.sync()
      if (checkPrefixes) {
        // Mid-run, at a sync point: what is on disk already folds to what the UI shows.
        expect(foldRecords(parseRunLog(await readFile(path)).records)).toStrictEqual(state)
      }
    } else if (random.chance(0.2)) {
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  await writer.close()
  return { path, state, records: bodies.length }
}

describe('replay equivalence', () => {
  beforeAll(ensureBuiltCli, 120_000)

  it(`folds the same state live and from the file, for ${RUNS} generated runs`, async () => {
    const folder = await tempDir()
    let records = 0
    for (let seed = 1; seed <= RUNS; seed++) {
      const live = await recordLive(seed, folder, seed <= 5)
      const file = parseRunLog(await readFile(live.path))
      expect(file.problems).toEqual([])
      expect(file.tornTail).toBeNull()
      expect(file.records).toHaveLength(live.records)
      expect(foldRecords(file.records)).toStrictEqual(live.state)
      // The state is plain JSON, so it can cross to the renderer unchanged.
      expect(JSON.parse(JSON.stringify(live.state))).toStrictEqual(live.state)
      records += live.records
    }
    expect(records).toBeGreaterThan(RUNS * 50)
  })

  it('exercises drops, duplicates, gaps, approvals and parallel calls across the generated runs', async () => {
    const folder = await tempDir()
    const states = await Promise.all(Array.from({ length: RUNS }, (_, index) => recordLive(index + 1, folder, false)))
    const count = (pick: (state: RunState) => number) => states.reduce((total, run) => total + pick(run.state), 0)
    expect(count((state) => state.responses.filter((response) => response.status === 'dropped').length)).toBeGreaterThan(0)
    expect(count((state) => state.duplicates)).toBeGreaterThan(0)
    expect(count((state) => state.gaps.length)).toBeGreaterThan(0)
    expect(count((state) => Object.keys(state.approvals).length)).toBeGreaterThan(0)
    expect(count((state) => state.responses.filter((response) => response.itemKeys.length >= 2).length)).toBeGreaterThan(0)
    expect(count((state) => state.errors.length)).toBeGreaterThan(0)
    expect(count((state) => state.toolCallOrder.length)).toBeGreaterThan(RUNS)
  })

  it('prints with `tether replay --json` the summary of the state folded live', async () => {
    const folder = await tempDir()
    const runs = await Promise.all([3, 7, 11, 19, 23].map((seed) => recordLive(seed, folder, false)))
    const printed = await Promise.all(runs.map((run) => runCli(['replay', '--json', run.path])))
    printed.forEach((result, index) => {
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(JSON.parse(result.stdout)).toEqual(summarize(runs[index]!.state))
    })
  })
})
