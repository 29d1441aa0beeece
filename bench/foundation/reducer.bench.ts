// Reducer throughput on a realistic event mix: a long generated run (text and reasoning deltas,
// parallel function calls, tool output, approvals, drops and duplicates) folded from scratch.
// Target: >= 1,000,000 records per second.
import { foldRecords } from '../../src-main/common/run/reduce'
import type { RunRecord } from '../../src-main/common/run/records'
import { seededRandom } from '../../src-main/test-support/prng'
import { DEFAULT_SHAPE, generateRun } from '../../src-main/test-support/run-generator'
import { stamp } from '../../src-main/test-support/run-records'
import { formatCount, report, time } from './report'

const TARGET_PER_SECOND = 1_000_000

export function realisticRecords(minimum: number, seed = 42): RunRecord[] {
  const random = seededRandom(seed)
  const bodies = []
  while (bodies.length < minimum) {
    bodies.push(...generateRun(random, { ...DEFAULT_SHAPE, turns: 40, textChunks: [20, 300], toolOutputBytes: [0, 16 * 1024] }))
  }
  return stamp(bodies)
}

function mixOf(records: readonly RunRecord[]): string {
  const counts = new Map<string, number>()
  for (const record of records) {
    const key = record.type === 'server.event' ? (record.event.type.endsWith('.delta') ? 'deltas' : 'other server events') : 'tether records'
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts].map(([key, count]) => `${key} ${Math.round((100 * count) / records.length)}%`).join(', ')
}

export async function reducerBenchmark(): Promise<void> {
  for (const size of [10_000, 100_000]) {
    const records = realisticRecords(size)
    const timing = await time(() => foldRecords(records), size > 50_000 ? 5 : 15)
    const perSecond = (records.length / timing.best) * 1000
    const perCpuSecond = (records.length / timing.bestCpu) * 1000
    report(
      `reducer, ${formatCount(records.length)} records`,
      `${formatCount(perSecond)}/s`,
      perSecond / TARGET_PER_SECOND,
      '>= 1,000,000/s',
      `best ${timing.best.toFixed(1)} ms, median ${timing.median.toFixed(1)} ms, ${formatCount(perCpuSecond)} per CPU-second; ${mixOf(records)}`
    )
  }
}
