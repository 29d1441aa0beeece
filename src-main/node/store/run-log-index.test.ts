// The replay index: pages and states anywhere in a log equal what a whole read and a fold from the
// start give, on a log with damaged lines and a torn tail, with checkpoints held by what changed
// between them, and kept up to date as the log grows.
import { appendFile, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RunRecord } from '../../common/run/records'
import { DISPLAYED_TERMINALS, displayState } from '../../common/run/display-state'
import { foldRecords } from '../../common/run/reduce'
import { REPLAY_TERMINALS } from '../../common/run/replay-window'
import type { RunState } from '../../common/run/state'
import { seededRandom } from '../../test-support/prng'
import { DEFAULT_SHAPE, generateRun } from '../../test-support/run-generator'
import { stamp } from '../../test-support/run-records'
import { useTempDirs } from '../../test-support/temp-dir'
import { encodeRecord } from './record-codec'
import { foldRunLog, type FoldProgress } from './run-log-fold'
import { OFFSET_STRIDE, RunLogIndex } from './run-log-index'

const tempDir = useTempDirs('tether-log-index-')

/** The state a replay shows after `records`: what the index gives. */
function displayed(records: RunRecord[]): RunState {
  return displayState(foldRecords(records), REPLAY_TERMINALS)
}
/** What the index gives for a position: a window of the whole state. */
async function stateAt(index: RunLogIndex, position: number): Promise<RunState> {
  return (await index.windowAt(position, Number.POSITIVE_INFINITY)).state
}
const TORN = '{"v":1,"seq":99999,"ts":1,"type":"tool.out'

function generated(seed: number, turns: number): RunRecord[] {
  return stamp(generateRun(seededRandom(seed), { ...DEFAULT_SHAPE, turns, toolOutputBytes: [0, 8 * 1024] }))
}

/** The log's lines with a damaged record (bad checksum, kept out), a line of junk and a torn tail. */
function damagedLog(records: RunRecord[]): { text: string; kept: RunRecord[] } {
  const lines = records.map(encodeRecord)
  lines[10] = lines[10]!.replace('"seq":10', '"seq":10 ')
  lines.splice(300, 0, 'not a record at all\n')
  return { text: lines.join('') + TORN, kept: records.filter((record) => record.seq !== 10) }
}

/** Positions worth checking: both sides of every page and checkpoint edge, the ends, and a few between. */
function edges(count: number, steps: number[]): number[] {
  const positions = new Set([-1, 0, 1, count - 2, count - 1])
  for (const step of steps) {
    for (let edge = step; edge < count; edge += step) for (const near of [edge - 2, edge - 1, edge, edge + 1]) positions.add(near)
  }
  return [...positions].filter((position) => position >= -1 && position < count).sort((a, b) => a - b)
}

describe('RunLogIndex', () => {
  it('reads pages and states anywhere in a damaged log as a whole read and a fold from the start would', async () => {
    const path = join(await tempDir(), 'run.jsonl')
    const { text, kept } = damagedLog(generated(5, 60))
    await writeFile(path, text)
    expect(kept.length).toBeGreaterThan(1500)
    // A small interval, so this log has many checkpoints.
    const index = new RunLogIndex(path, { interval: OFFSET_STRIDE })
    const summary = await index.update()

    const folded = await foldRunLog(path)
    expect(summary).toEqual({ records: kept.length, bytes: Buffer.byteLength(text), health: folded.health })
    expect(summary.health).toEqual({
      problems: [
        { line: 11, reason: expect.stringMatching(/checksum/) },
        { line: 12, reason: 'seq 11 after 9: missing records before this one' },
        { line: 301, reason: 'no checksum' }
      ],
      problemCount: 3,
      tornTailBytes: TORN.length
    })
    expect(index.checkpoints).toBe(Math.floor(kept.length / OFFSET_STRIDE) + 1)

    const pageEdges = edges(kept.length, [OFFSET_STRIDE, index.interval])
    for (const from of pageEdges.filter((position) => position >= 0)) {
      expect(await index.records(from, from + 3)).toStrictEqual(kept.slice(from, from + 3))
    }
    expect(await index.records(0, kept.length + 50)).toStrictEqual(kept)
    expect(await index.records(kept.length, kept.length + 10)).toEqual([])

    for (const position of pageEdges) {
      expect(await stateAt(index, position), `state at ${position}`).toStrictEqual(displayed(kept.slice(0, position + 1)))
    }
    // Stepping back and forth from recent states gives the same states as from checkpoints.
    for (const position of [700, 701, 699, 702, 1200, 701]) {
      expect(await stateAt(index, position), `state at ${position}`).toStrictEqual(displayed(kept.slice(0, position + 1)))
    }
    await expect(stateAt(index, kept.length)).rejects.toThrow(RangeError)
    await expect(stateAt(index, -2)).rejects.toThrow(RangeError)
  })

  it('holds its checkpoints by what changed between them, far below their whole size', async () => {
    const path = join(await tempDir(), 'run.jsonl')
    const records = generated(6, 60)
    await writeFile(path, records.map(encodeRecord).join(''))
    const index = new RunLogIndex(path, { interval: OFFSET_STRIDE })
    await index.update()
    expect(index.checkpoints).toBe(Math.floor(records.length / OFFSET_STRIDE) + 1)
    let wholeBytes = 0
    for (let k = 0; k < index.checkpoints - 1; k++) wholeBytes += JSON.stringify(foldRecords(records.slice(0, k * OFFSET_STRIDE))).length
    expect(index.heldBytes).toBeLessThan(wholeBytes / 4)
  })

  it('keeps its checkpoints within a memory budget by holding every other one, folding further from them', async () => {
    const path = join(await tempDir(), 'run.jsonl')
    const records = generated(7, 60)
    await writeFile(path, records.map(encodeRecord).join(''))
    const unbounded = new RunLogIndex(path, { interval: OFFSET_STRIDE })
    await unbounded.update()
    const budget = Math.floor(unbounded.heldBytes / 6)
    const index = new RunLogIndex(path, { interval: OFFSET_STRIDE, historyBytes: budget })
    await index.update()
    expect(index.heldBytes).toBeLessThanOrEqual(budget)
    expect(index.interval).toBeGreaterThanOrEqual(4 * OFFSET_STRIDE)
    expect(index.checkpoints).toBe(Math.floor(records.length / index.interval) + 1)
    for (const position of edges(records.length, [index.interval])) {
      expect(await stateAt(index, position), `state at ${position}`).toStrictEqual(displayed(records.slice(0, position + 1)))
    }
  })

  it('gives display states: older finished calls without their terminal tails, as the live view and the replay show them', async () => {
    const path = join(await tempDir(), 'many-calls.jsonl')
    const records = generated(12, 500)
    await writeFile(path, records.map(encodeRecord).join(''))
    const index = new RunLogIndex(path, { interval: 8 * OFFSET_STRIDE })
    await index.update()
    const final = foldRecords(records)
    expect(final.toolCallOrder.length).toBeGreaterThan(2 * DISPLAYED_TERMINALS)
    expect(await index.state()).toStrictEqual(displayState(final))
    const interval = index.interval
    for (const position of [interval - 1, interval, Math.floor(records.length / 2), Math.floor(records.length / interval) * interval - 1, records.length - 1]) {
      expect(await stateAt(index, position), `state at ${position}`).toStrictEqual(displayed(records.slice(0, position + 1)))
    }
  })

  it('is built in chunks with progress while timers still run', async () => {
    const path = join(await tempDir(), 'long.jsonl')
    const text = generated(3, 400).map(encodeRecord).join('')
    await writeFile(path, text)
    expect(text.length).toBeGreaterThan(4 * 1024 * 1024)
    const progress: FoldProgress[] = []
    let ticks = 0
    const ticker = setInterval(() => (ticks += 1), 0)
    const index = new RunLogIndex(path)
    try {
      await Promise.all([index.update((step) => progress.push(step)), index.update()])
    } finally {
      clearInterval(ticker)
    }
    expect(progress.length).toBeGreaterThan(1)
    expect(progress.at(-1)).toEqual({ loadedBytes: Buffer.byteLength(text), totalBytes: Buffer.byteLength(text) })
    expect(ticks).toBeGreaterThan(0)
    expect(index.summary.records).toBe(text.split('\n').length - 1)
  })

  it('answers positions while it is being built, the scan waiting for the copies of its state', async () => {
    const path = join(await tempDir(), 'busy.jsonl')
    const records = generated(9, 300)
    await writeFile(path, records.map(encodeRecord).join(''))
    // Small slices, so that every copy gives the event loop back many times.
    const index = new RunLogIndex(path, { interval: OFFSET_STRIDE, sliceEntries: 64 })
    const asked: { position: number; answer: Promise<RunState> }[] = []
    await index.update(() => {
      const indexed = index.summary.records
      if (indexed === 0) return
      for (const position of [indexed - 1, Math.floor(indexed / 2), 0]) asked.push({ position, answer: stateAt(index, position) })
    })
    expect(asked.length).toBeGreaterThan(6)
    for (const { position, answer } of asked) expect(await answer, `state at ${position}`).toStrictEqual(displayed(records.slice(0, position + 1)))
    expect(await index.state()).toStrictEqual(displayState(foldRecords(records)))
  })

  it('indexes only what a live log appends, including a torn line once it is finished', async () => {
    const path = join(await tempDir(), 'live.jsonl')
    const records = generated(8, 20)
    const lines = records.map(encodeRecord)
    const half = Math.floor(lines.length / 2)
    const cut = Math.floor(lines[half]!.length / 2)
    await writeFile(path, lines.slice(0, half).join('') + lines[half]!.slice(0, cut))
    const index = new RunLogIndex(path, { interval: OFFSET_STRIDE })
    expect(await index.update()).toEqual({
      records: half,
      bytes: Buffer.byteLength(lines.slice(0, half).join('') + lines[half]!.slice(0, cut)),
      health: { problems: [], problemCount: 0, tornTailBytes: Buffer.byteLength(lines[half]!.slice(0, cut)) }
    })
    expect(await stateAt(index, half - 1)).toStrictEqual(displayed(records.slice(0, half)))

    const progress: FoldProgress[] = []
    await appendFile(path, lines[half]!.slice(cut) + lines.slice(half + 1).join(''))
    const grown = await index.update((step) => progress.push(step))
    expect(grown).toEqual({ records: records.length, bytes: Buffer.byteLength(lines.join('')), health: { problems: [], problemCount: 0, tornTailBytes: 0 } })
    // Only the appended bytes were read.
    expect(progress[0]!.loadedBytes).toBe(Buffer.byteLength(lines.join('')))
    for (const position of edges(records.length, [OFFSET_STRIDE])) {
      expect(await stateAt(index, position)).toStrictEqual(displayed(records.slice(0, position + 1)))
    }
    expect(await index.records(half - 2, half + 2)).toStrictEqual(records.slice(half - 2, half + 2))

    // A log cut shorter (repaired, replaced) is indexed again from its start.
    const shorter = Buffer.byteLength(lines.slice(0, 40).join(''))
    await truncate(path, shorter)
    expect(await index.update()).toEqual({ records: 40, bytes: shorter, health: { problems: [], problemCount: 0, tornTailBytes: 0 } })
    expect(await stateAt(index, 39)).toStrictEqual(displayed(records.slice(0, 40)))
  })
})
