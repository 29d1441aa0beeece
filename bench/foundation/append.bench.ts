// Durable append throughput with the writer's group-commit policy. A generated run is appended as
// a run appends it: server events a few at a time as frames arrive, and the durable records
// (a tool starting or finishing, an approval, person input) awaited until they are on disk before
// the run goes on. Target: >= 20,000 records/s. Baseline in the same run: fsync per record.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunRecordBody } from '../../src-main/common/run/records'
import { syncPointOf } from '../../src-main/common/run/sync-point'
import { RunLogWriter } from '../../src-main/node/store/run-log-writer'
import { realisticRecords } from './reducer.bench'
import { formatCount, report } from './report'

const TARGET_PER_SECOND = 20_000
const RECORDS = 50_000
/** fsync latency on a shared disk swings from run to run: each scenario keeps its best of a few. */
const ROUNDS = 3
/** Server events that arrive in one socket frame's macrotask. */
const FRAME_EVENTS = 4

function bodiesOf(count: number): RunRecordBody[] {
  return realisticRecords(count)
    .slice(0, count)
    .map(({ v: _v, seq: _seq, ts: _ts, ...body }) => body as RunRecordBody)
}

interface AppendTiming {
  ms: number
  syncPoints: number
  /** Mean time a durable append waited for the disk. */
  syncWaitMs: number
}

/** Appends like a run: durable records awaited, the rest appended and left to the next flush. */
async function appendLikeARun(
  path: string,
  bodies: readonly RunRecordBody[],
  isDurable: (body: RunRecordBody, index: number) => boolean
): Promise<AppendTiming> {
  const writer = await RunLogWriter.create(path)
  const start = performance.now()
  let sinceYield = 0
  let syncPoints = 0
  let waited = 0
  for (const [index, body] of bodies.entries()) {
    if (isDurable(body, index)) {
      const before = performance.now()
      await writer.appendDurable(body)
      waited += performance.now() - before
      syncPoints += 1
      sinceYield = 0
    } else {
      writer.append(body)
      if (++sinceYield === FRAME_EVENTS) {
        sinceYield = 0
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
  }
  await writer.close()
  return { ms: performance.now() - start, syncPoints, syncWaitMs: syncPoints === 0 ? 0 : waited / syncPoints }
}

export async function appendBenchmark(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'tether-bench-append-'))
  try {
    const bodies = bodiesOf(RECORDS)
    const durable = bodies.filter((body) => syncPointOf(body) === 'wait').length

    const baselineCount = 2_000
    const baseline = await appendLikeARun(join(folder, 'baseline.jsonl'), bodies.slice(0, baselineCount), () => true)
    const baselinePerSecond = (baselineCount / baseline.ms) * 1000
    report(
      'append, fsync per record (baseline)',
      `${formatCount(baselinePerSecond)}/s`,
      baselinePerSecond / TARGET_PER_SECOND,
      '>= 20,000/s',
      `${formatCount(baselineCount)} records, ${baseline.syncWaitMs.toFixed(2)} ms per record`
    )

    const scenarios: [string, (body: RunRecordBody, index: number) => boolean, string][] = [
      ['append, group commit, 1 durable/100', (_, index) => index % 100 === 99, 'a turn of streaming around each sync point'],
      ['append, group commit, a run', (body) => syncPointOf(body) === 'wait', `durable where a run syncs: 1 per ${Math.round(bodies.length / durable)} records`],
      ['append, group commit, 1 durable/20', (_, index) => index % 20 === 19, 'sync-heavy: tool calls back to back'],
      ['append, group commit, no sync points', () => false, 'CPU bound: one sync at close']
    ]
    for (const [name, isDurable, detail] of scenarios) {
      const rounds: AppendTiming[] = []
      for (let round = 0; round < ROUNDS; round++) {
        rounds.push(await appendLikeARun(join(folder, `${name.replace(/\W+/g, '-')}-${round}.jsonl`), bodies, isDurable))
      }
      const timing = rounds.reduce((best, next) => (next.ms < best.ms ? next : best))
      const perSecond = (bodies.length / timing.ms) * 1000
      const waits = timing.syncPoints > 0 ? `, ${timing.syncWaitMs.toFixed(2)} ms per sync point` : ''
      report(
        name,
        `${formatCount(perSecond)}/s`,
        perSecond / TARGET_PER_SECOND,
        '>= 20,000/s',
        `${formatCount(bodies.length)} records in ${timing.ms.toFixed(0)} ms (best of ${ROUNDS})${waits}, ${(perSecond / baselinePerSecond).toFixed(1)}x the baseline; ${detail}`
      )
    }
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
