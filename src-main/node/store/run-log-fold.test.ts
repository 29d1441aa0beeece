// Folding a log from the file a chunk at a time: the same state as a whole-file read, progress
// reported on the way with the event loop free between chunks, and a damaged or torn log reported.
import { appendFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { foldRecords } from '../../common/run/reduce'
import { seededRandom } from '../../test-support/prng'
import { DEFAULT_SHAPE, generateRun } from '../../test-support/run-generator'
import { stamp } from '../../test-support/run-records'
import { useTempDirs } from '../../test-support/temp-dir'
import { encodeRecord } from './record-codec'
import { foldRunLog, type FoldProgress } from './run-log-fold'
import { parseRunLog } from './run-log-reader'

const tempDir = useTempDirs('tether-log-fold-')

/** A generated log of many records (tens of megabytes, so it spans many chunks). */
async function writeLongLog(path: string, turns: number): Promise<string> {
  const records = stamp(generateRun(seededRandom(3), { ...DEFAULT_SHAPE, turns, toolOutputBytes: [0, 16 * 1024] }))
  const text = records.map(encodeRecord).join('')
  await writeFile(path, text)
  return text
}

describe('foldRunLog', () => {
  it('folds a long log a chunk at a time to the state a whole read gives, reporting progress and yielding between chunks', async () => {
    const path = join(await tempDir(), 'long.jsonl')
    const text = await writeLongLog(path, 600)
    expect(text.length).toBeGreaterThan(8 * 1024 * 1024)
    const progress: FoldProgress[] = []
    let ticks = 0
    const ticker = setInterval(() => (ticks += 1), 0)
    let folded
    try {
      folded = await foldRunLog(path, (step) => progress.push(step))
    } finally {
      clearInterval(ticker)
    }
    expect(folded.state).toStrictEqual(foldRecords(parseRunLog(Buffer.from(text)).records))
    expect(folded.health).toEqual({ problems: [], problemCount: 0, tornTailBytes: 0 })
    expect(progress.at(-1)).toEqual({ loadedBytes: Buffer.byteLength(text), totalBytes: Buffer.byteLength(text) })
    // Progress grows and the loop ran timers while the fold went on.
    expect(progress.length).toBeGreaterThan(1)
    expect(progress.every((step, index) => index === 0 || step.loadedBytes >= progress[index - 1]!.loadedBytes)).toBe(true)
    expect(ticks).toBeGreaterThan(0)
  })

  it('reports damaged lines and a torn tail instead of dropping them in silence', async () => {
    const records = stamp(generateRun(seededRandom(9), { ...DEFAULT_SHAPE, turns: 3 }))
    const lines = records.map(encodeRecord)
    const damaged = lines.map((line, index) => (index === 4 ? line.replace('"seq":4', '"seq":4 ') : line))
    const path = join(await tempDir(), 'damaged.jsonl')
    await writeFile(path, damaged.join(''))
    await appendFile(path, '{"v":1,"seq":99999,"ts":1,"type":"tool.out')
    const folded = await foldRunLog(path)
    expect(folded.health).toEqual({
      problems: [
        { line: 5, reason: expect.stringMatching(/checksum/) },
        { line: 6, reason: 'seq 5 after 3: missing records before this one' }
      ],
      problemCount: 2,
      tornTailBytes: 42
    })
    expect(folded.state.lastSeq).toBe(records.length - 1)
  })
})
