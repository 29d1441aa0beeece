// Crash safety of the run log against a real process crash: a child appends a realistic mix of
// records and is killed with SIGKILL at random moments. After every kill the log must reopen with
// every acknowledged record present, every complete record intact and in order, a torn tail cut
// off and recorded, and appends continuing. (A process crash, not a power loss: see the design notes.)
// Kills are placed by the child's acknowledgements, not by the clock, so the test checks the same
// thing on an idle and on a loaded machine.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunRecord, RunRecordBody } from '../../common/run/records'
import { runAppender } from '../../test-support/appender-process'
import { syncPointOf } from '../../common/run/sync-point'
import { CRASH_FACTS, crashBody } from '../../test-support/crash-records'
import { bundleForNode } from '../../test-support/node-bundle'
import { seededRandom } from '../../test-support/prng'
import { parseRunLog } from './run-log-reader'
import { RunLogWriter } from './run-log-writer'

const KILLS = 200
const LANES = 2
/** A fresh log every few kills keeps reopening cheap; within a log, each kill lands on the last repair. */
const KILLS_PER_LOG = 5

let folder = ''
let appender = ''

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'tether-crash-'))
  appender = await bundleForNode('src-main/test-support/children/log-appender.ts', join(folder, 'bin'))
})

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

function bodyOf(record: RunRecord): RunRecordBody {
  const { v: _v, seq: _seq, ts: _ts, ...body } = record
  return body as RunRecordBody
}

/** Compares as bytes of JSON: both sides keep the writer's key order. */
function isChildRecord(record: RunRecord): boolean {
  return JSON.stringify(bodyOf(record)) === JSON.stringify(crashBody(record.seq))
}

interface LaneTotals {
  kills: number
  acked: number
  tornTails: number
  truncatedBytes: number
  records: number
  violations: string[]
}

async function killLane(lane: number, kills: number): Promise<LaneTotals> {
  const random = seededRandom(0x7e7e + lane)
  const totals: LaneTotals = { kills: 0, acked: 0, tornTails: 0, truncatedBytes: 0, records: 0, violations: [] }
  let path = ''
  let previous = Buffer.alloc(0)
  let previousCount = 0
  for (let kill = 0; kill < kills; kill++) {
    if (kill % KILLS_PER_LOG === 0) {
      path = join(folder, `lane${lane}-${kill}.jsonl`)
      previous = Buffer.alloc(0)
      previousCount = 0
    }
    const fail = (what: string): void => {
      totals.violations.push(`lane ${lane}, kill ${kill}: ${what}`)
    }
    const due = { acks: random.int(1, 4), delayMs: random.int(0, 3) }
    const child = await runAppender(appender, path, { kill: due })
    totals.kills += 1
    totals.acked += child.acked.length
    if (child.signal !== 'SIGKILL') fail(`child ended by itself (code ${child.exitCode}): ${child.failure ?? child.stderr}`)
    if (child.readySeq !== previousCount) fail(`child continued at seq ${child.readySeq}, expected ${previousCount}`)
    const notWaited = child.acked.filter((seq) => syncPointOf(crashBody(seq), CRASH_FACTS) !== 'wait')
    if (notWaited.length > 0) fail(`acknowledged records ${notWaited.join(', ')} whose sync point is not 'wait'`)
    if (child.acked.length < due.acks) fail(`killed after ${child.acked.length} acknowledged records, before the ${due.acks} it was due after`)

    // What the crash left: the bytes from before this child unchanged, then complete records, maybe a torn line.
    const crashed = await readFile(path)
    if (!crashed.subarray(0, previous.length).equals(previous)) fail('bytes written before this crash changed')
    const opened = await RunLogWriter.openExisting(path)
    if (opened.problems.length > 0) fail(`damaged lines: ${JSON.stringify(opened.problems)}`)
    opened.records.forEach((record, index) => {
      if (record.seq !== index) fail(`record ${index} has seq ${record.seq}`)
      if (index >= previousCount && !isChildRecord(record)) fail(`record ${index} differs from what the child wrote`)
    })
    const missing = child.acked.filter((seq) => seq >= opened.records.length)
    if (missing.length > 0) fail(`acknowledged records ${missing.join(', ')} are missing (log ends at ${opened.records.length - 1})`)
    const validLength = crashed.length - opened.truncatedBytes
    const lastNewline = crashed.lastIndexOf(0x0a)
    if (validLength !== lastNewline + 1) fail(`cut the log at ${validLength}, its last complete line ends at ${lastNewline + 1}`)
    if (opened.truncatedBytes > 0) {
      totals.tornTails += 1
      totals.truncatedBytes += opened.truncatedBytes
    }

    // The repair is recorded and the log takes appends again.
    const marker = await opened.writer.appendDurable({ type: 'user.input', kind: 'task', text: `continue after kill ${kill}` })
    await opened.writer.close()
    const reopened = await readFile(path)
    if (!reopened.subarray(0, validLength).equals(crashed.subarray(0, validLength))) fail('the repair changed complete records')
    const appended = parseRunLog(reopened.subarray(validLength))
    const repair = { type: 'log.repaired', truncatedBytes: opened.truncatedBytes, reason: expect.any(String) }
    const expected = [...(opened.truncatedBytes > 0 ? [repair] : []), bodyOf(marker)]
    const seqs = appended.records.map((record) => record.seq)
    if (appended.problems.length > 0 || appended.tornTail !== null) fail('the log is not clean after the repair and one more append')
    if (seqs.join() !== expected.map((_, index) => opened.records.length + index).join()) fail(`appended seqs ${seqs.join()} do not continue the log`)
    try {
      expect(appended.records.map(bodyOf)).toEqual(expected)
    } catch {
      fail(`after reopening, the log ends with ${JSON.stringify(appended.records)}`)
    }
    totals.records += opened.records.length - previousCount
    previous = reopened
    previousCount = opened.records.length + appended.records.length
  }
  return totals
}

describe('run log crash safety', () => {
  it(`keeps every acknowledged and every complete record through ${KILLS} SIGKILLs at random moments`, async () => {
    const lanes = await Promise.all(Array.from({ length: LANES }, (_, lane) => killLane(lane, KILLS / LANES)))
    const sum = (pick: (totals: LaneTotals) => number): number => lanes.reduce((total, lane) => total + pick(lane), 0)
    expect(lanes.flatMap((lane) => lane.violations)).toEqual([])
    expect(sum((lane) => lane.kills)).toBe(KILLS)
    // Every kill landed mid-run, after durable records had been acknowledged (checked per kill
    // above). A kill tears a write only when it lands inside the write call (rarely); the repair of
    // torn tails is also covered by the file-size test below and by the writer's unit tests.
    expect(sum((lane) => lane.acked)).toBeGreaterThanOrEqual(KILLS)
    expect(sum((lane) => lane.records)).toBeGreaterThanOrEqual(sum((lane) => lane.acked))
  }, 600_000) // a guard against a hang, not a speed requirement: 200 child processes start one after another

  it('never acknowledges a record the disk took only in part (a file-size limit as a full disk)', async () => {
    const path = join(folder, 'limited.jsonl')
    const child = await runAppender(appender, path, { fileSizeLimitKiB: 4096 })
    expect(child.exitCode).toBe(3)
    expect(child.failure).toMatch(/^cannot write run log .*limited\.jsonl: EFBIG/)
    expect(child.acked.length).toBeGreaterThan(0)
    const written = parseRunLog(await readFile(path))
    expect(written.problems).toEqual([])
    expect(written.records.every((record, index) => record.seq === index && isChildRecord(record))).toBe(true)
    expect(child.acked.filter((seq) => seq >= written.records.length)).toEqual([])

    // The short write left a real torn line at exactly the limit; reopening cuts it and records the repair.
    expect(written.tornTail).toEqual({ offset: written.validLength, bytes: 4096 * 1024 - written.validLength })
    const opened = await RunLogWriter.openExisting(path)
    expect(opened.records).toEqual(written.records)
    expect(opened.truncatedBytes).toBe(written.tornTail?.bytes)
    await opened.writer.appendDurable({ type: 'run.resumed', reason: 'space freed' })
    await opened.writer.close()
    const repaired = parseRunLog(await readFile(path))
    expect(repaired.problems).toEqual([])
    expect(repaired.tornTail).toBeNull()
    expect(repaired.records.slice(written.records.length).map(bodyOf)).toEqual([
      { type: 'log.repaired', truncatedBytes: written.tornTail?.bytes, reason: expect.any(String) },
      { type: 'run.resumed', reason: 'space freed' }
    ])
  })
})
