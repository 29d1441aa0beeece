import { readFile, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RunRecordBody } from '../../common/run/records'
import { runStarted, stamp, T0 } from '../../test-support/run-records'
import { useTempDirs } from '../../test-support/temp-dir'
import { encodeRecord } from './record-codec'
import { parseRunLog, readRunLog } from './run-log-reader'
import { RunLogWriter } from './run-log-writer'

const tempDir = useTempDirs('tether-writer-')

function counterClock(start = T0): () => number {
  let now = start
  return () => (now += 10) - 10
}

const bodies: RunRecordBody[] = [
  runStarted(),
  { type: 'user.input', kind: 'task', text: 'Run the tests' },
  { type: 'tool.started', callId: 'call_1', name: 'shell', arguments: '{"command":"npm test"}' },
  { type: 'tool.output', callId: 'call_1', data: 'ok 12 tests\r\n' }
]

async function logWith(records: RunRecordBody[]): Promise<{ path: string; bytes: Buffer }> {
  const path = join(await tempDir(), 'run.jsonl')
  const bytes = Buffer.from(stamp(records).map(encodeRecord).join(''))
  await writeFile(path, bytes)
  return { path, bytes }
}

describe('RunLogWriter', () => {
  it('stamps records with seq and the clock, and returns them before they are written', async () => {
    const path = join(await tempDir(), 'run.jsonl')
    const writer = await RunLogWriter.create(path, counterClock())
    const appended = bodies.map((body) => writer.append(body))
    expect(appended).toEqual(stamp(bodies))
    expect(writer.nextSeq).toBe(bodies.length)
    await writer.close()
    expect(await readRunLog(path)).toEqual({ records: stamp(bodies), problems: [], tornTail: null, validLength: (await readFile(path)).length })
  })

  it('has a durable record in the file when appendDurable resolves, even with others in flight', async () => {
    const path = join(await tempDir(), 'run.jsonl')
    const writer = await RunLogWriter.create(path, counterClock())
    writer.append(bodies[0]!)
    const durable = await Promise.all([writer.appendDurable(bodies[1]!), writer.appendDurable(bodies[2]!)])
    writer.append(bodies[3]!)
    const onDisk = parseRunLog(await readFile(path)).records
    expect(onDisk.slice(0, 3)).toEqual(stamp(bodies.slice(0, 3)))
    expect(durable.map((record) => record.seq)).toEqual([1, 2])
    await writer.close()
    expect(parseRunLog(await readFile(path)).records).toEqual(stamp(bodies))
  })

  it('writes thousands of appends from one burst in order', async () => {
    const path = join(await tempDir(), 'run.jsonl')
    const writer = await RunLogWriter.create(path, counterClock())
    const burst: RunRecordBody[] = Array.from({ length: 5000 }, (_, index) => ({ type: 'tool.output', callId: 'call_1', data: `line ${index}\n` }))
    burst.forEach((body) => writer.append(body))
    await writer.sync()
    expect(parseRunLog(await readFile(path)).records).toEqual(stamp(burst))
    await writer.close()
  })

  it('refuses to create over an existing log, and to append once closed', async () => {
    const { path } = await logWith(bodies)
    await expect(RunLogWriter.create(path)).rejects.toThrow(/EEXIST/)
    const { writer } = await RunLogWriter.openExisting(path)
    await writer.close()
    await writer.close()
    expect(() => writer.append(bodies[3]!)).toThrow(`run log ${path} is closed`)
  })

  it('continues a clean log where it ended, without a repair record', async () => {
    const { path, bytes } = await logWith(bodies)
    const opened = await RunLogWriter.openExisting(path, counterClock(T0 + 1000))
    expect(opened.records).toEqual(stamp(bodies))
    expect(opened.problems).toEqual([])
    expect(opened.truncatedBytes).toBe(0)
    expect(opened.writer.nextSeq).toBe(bodies.length)
    await opened.writer.appendDurable({ type: 'run.resumed', reason: 'app restarted' })
    await opened.writer.close()
    const after = await readFile(path)
    expect(after.subarray(0, bytes.length).equals(bytes)).toBe(true)
    expect(parseRunLog(after).records.slice(bodies.length)).toEqual(stamp([{ type: 'run.resumed', reason: 'app restarted' }], bodies.length, T0 + 1000))
  })

  it('cuts a torn last line at any byte, records the repair and keeps appending', async () => {
    const complete = stamp(bodies.slice(0, 3))
    const last = encodeRecord(stamp(bodies)[3]!)
    const folder = await tempDir()
    const prefix = Buffer.from(complete.map(encodeRecord).join(''))
    // Every cut inside the last line, including the one that leaves all of it but the newline.
    for (let cut = 1; cut < Buffer.byteLength(last); cut++) {
      const path = join(folder, `cut-${cut}.jsonl`)
      await writeFile(path, Buffer.concat([prefix, Buffer.from(last).subarray(0, cut)]))
      const opened = await RunLogWriter.openExisting(path, counterClock(T0 + 1000))
      expect(opened.records).toEqual(complete)
      expect(opened.problems).toEqual([])
      expect(opened.truncatedBytes).toBe(cut)
      await opened.writer.appendDurable({ type: 'run.resumed', reason: 'after a crash' })
      await opened.writer.close()
      const after = await readFile(path)
      expect(after.subarray(0, prefix.length).equals(prefix)).toBe(true)
      expect(parseRunLog(after)).toEqual({
        records: [
          ...complete,
          ...stamp(
            [
              { type: 'log.repaired', truncatedBytes: cut, reason: 'the last line was torn by an interrupted write and was cut off' },
              { type: 'run.resumed', reason: 'after a crash' }
            ],
            3,
            T0 + 1000
          )
        ],
        problems: [],
        tornTail: null,
        validLength: after.length
      })
    }
  })

  it('repairs a torn 64 KB line cut at page and random boundaries', async () => {
    const big: RunRecordBody = { type: 'tool.output', callId: 'call_1', data: 'é✓ line of output\r\n'.repeat(3500) }
    const { path, bytes } = await logWith([...bodies, big])
    const lastStart = bytes.lastIndexOf(0x0a, bytes.length - 2) + 1
    for (const cut of [1, 4095, 4096, 4097, 32768, 65536, bytes.length - lastStart - 1]) {
      await writeFile(path, bytes)
      await truncate(path, lastStart + cut)
      const opened = await RunLogWriter.openExisting(path)
      expect(opened.records).toEqual(stamp(bodies))
      expect(opened.truncatedBytes).toBe(cut)
      await opened.writer.close()
      const after = parseRunLog(await readFile(path))
      expect(after.problems).toEqual([])
      expect(after.records.at(-1)).toMatchObject({ seq: bodies.length, type: 'log.repaired', truncatedBytes: cut })
    }
  })

  it('reports a corrupt line in the middle with its number and appends after the last good record', async () => {
    const { path, bytes } = await logWith(bodies)
    const damaged = Buffer.from(bytes.toString('utf8').replace('Run the tests', 'Run the tesXs'))
    await writeFile(path, damaged)
    const opened = await RunLogWriter.openExisting(path, counterClock(T0 + 1000))
    expect(opened.problems).toEqual([
      { line: 2, reason: expect.stringMatching(/^checksum mismatch/) },
      { line: 3, reason: 'seq 2 after 0: missing records before this one' }
    ])
    expect(opened.records.map((record) => record.seq)).toEqual([0, 2, 3])
    expect(opened.truncatedBytes).toBe(0)
    await opened.writer.appendDurable({ type: 'run.resumed', reason: 'app restarted' })
    await opened.writer.close()
    const after = parseRunLog(await readFile(path))
    expect(after.records.map((record) => record.seq)).toEqual([0, 2, 3, 4])
    expect(after.problems).toEqual(opened.problems)
  })
})
