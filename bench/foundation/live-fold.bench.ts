// The live fold's cost per record at n and 10n: one long run (a single run state that keeps
// growing, unlike the reducer benchmark's many short runs) folded record by record the way the
// host and the renderer fold it: a LiveFold, with a frame handed out every 32 records (about once
// per animation frame while a run streams). The one-step `reduce` that copies what it changes is
// measured alongside at n only: at 10n it is the quadratic cost the live fold removes.
// Target: cost per record at 10n no more than 1.5x the cost at n.
import { LiveFold, reduce } from '../../src-main/common/run/reduce'
import type { RunRecord } from '../../src-main/common/run/records'
import { initialRunState } from '../../src-main/common/run/state'
import { seededRandom } from '../../src-main/test-support/prng'
import { DEFAULT_SHAPE, generateRun } from '../../src-main/test-support/run-generator'
import { stamp } from '../../src-main/test-support/run-records'
import { report, time } from './report'

const FRAME_EVERY = 32

function longRun(turns: number): RunRecord[] {
  return stamp(generateRun(seededRandom(7), { ...DEFAULT_SHAPE, turns, textChunks: [2, 12], toolOutputBytes: [0, 4096] }))
}

function liveFold(records: readonly RunRecord[]): void {
  const fold = new LiveFold()
  records.forEach((record, index) => {
    fold.apply(record)
    if (index % FRAME_EVERY === 0) fold.frame()
  })
}

function stepwise(records: readonly RunRecord[]): void {
  let state = initialRunState
  for (const record of records) state = reduce(state, record)
}

export async function liveFoldBenchmark(): Promise<void> {
  const small = longRun(150)
  const large = longRun(1500)
  const perRecordUs = async (records: RunRecord[], fold: (records: readonly RunRecord[]) => void, runs: number): Promise<number> =>
    ((await time(() => fold(records), runs, 1)).bestCpu * 1000) / records.length
  const atN = await perRecordUs(small, liveFold, 5)
  const at10N = await perRecordUs(large, liveFold, 3)
  const oneStep = await perRecordUs(small, stepwise, 3)
  report(
    `live fold, ${small.length.toLocaleString('en-US')} -> ${large.length.toLocaleString('en-US')} records of one run`,
    `${atN.toFixed(2)} -> ${at10N.toFixed(2)} µs per record (x${(at10N / atN).toFixed(2)})`,
    1.5 / (at10N / atN),
    'x <= 1.5 from n to 10n',
    `CPU time, a frame every ${FRAME_EVERY} records; the one-step reduce at n: ${oneStep.toFixed(2)} µs per record`
  )
}
