// Replay of a 100k-record run log: read the file, verify every checksum, parse, fold.
// Target: < 0.5 s. Measured both through the store's reader and through the replay source
// `tether replay` uses (which also tells a run log from an event stream).
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { foldRecords } from '../../src-main/common/run/reduce'
import { loadReplaySource } from '../../src-main/node/store/replay-source'
import { readRunLog } from '../../src-main/node/store/run-log-reader'
import { RunLogWriter } from '../../src-main/node/store/run-log-writer'
import { realisticRecords } from './reducer.bench'
import { formatCount, report, time } from './report'

const TARGET_MS = 500
const RECORDS = 100_000

export async function replayBenchmark(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'tether-bench-replay-'))
  try {
    const path = join(folder, 'run.jsonl')
    const writer = await RunLogWriter.create(path)
    const records = realisticRecords(RECORDS).slice(0, RECORDS)
    for (const record of records) {
      const { v: _v, seq: _seq, ts: _ts, ...body } = record
      writer.append(body as Parameters<RunLogWriter['append']>[0])
    }
    await writer.close()
    const { size } = await stat(path)

    let stages = { read: 0, fold: 0 }
    const viaReader = await time(async () => {
      const start = performance.now()
      const log = await readRunLog(path)
      const read = performance.now()
      foldRecords(log.records)
      stages = { read: read - start, fold: performance.now() - read }
    }, 5)
    report(
      `replay ${formatCount(RECORDS)} records (reader)`,
      `${viaReader.best.toFixed(0)} ms`,
      TARGET_MS / viaReader.best,
      '< 500 ms',
      `${viaReader.bestCpu.toFixed(0)} ms CPU; read+verify+parse ${stages.read.toFixed(0)} ms, fold ${stages.fold.toFixed(0)} ms (last run); ${(size / 1e6).toFixed(1)} MB`
    )
    const viaSource = await time(async () => foldRecords((await loadReplaySource(path)).records), 5)
    report(
      `replay ${formatCount(RECORDS)} records (tether replay)`,
      `${viaSource.best.toFixed(0)} ms`,
      TARGET_MS / viaSource.best,
      '< 500 ms',
      `${viaSource.bestCpu.toFixed(0)} ms CPU, median ${viaSource.median.toFixed(0)} ms`
    )
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
