// A long generated log, written a batch of turns at a time: one run that goes on and on until the
// file holds `megabytes`. The long-run and replay benchmarks open it the way the app does. Each
// batch's response, item and call ids are its own (the generator numbers them from 1 in every
// batch), as in a real run: a later batch does not write into an earlier batch's calls.
import { open } from 'node:fs/promises'
import { encodeRecord } from '../../src-main/node/store/record-codec'
import { seededRandom } from '../../src-main/test-support/prng'
import { DEFAULT_SHAPE, generateRun } from '../../src-main/test-support/run-generator'
import { stamp } from '../../src-main/test-support/run-records'

const TURNS_PER_BATCH = 50

export async function writeGeneratedLog(path: string, megabytes: number, seed = 1): Promise<{ bytes: number; records: number }> {
  const random = seededRandom(seed)
  const file = await open(path, 'w')
  let seq = 0
  let bytes = 0
  let batches = 0
  try {
    const head = generateRun(random, { ...DEFAULT_SHAPE, turns: 1 }).slice(0, 3)
    for (;;) {
      // Each batch without its own run start and end: the run continues.
      const generated = generateRun(random, { ...DEFAULT_SHAPE, turns: TURNS_PER_BATCH, toolOutputBytes: [0, 8192] }).slice(3, -1)
      // Every id the generator makes contains `resp_N` (rs_resp_N, call_resp_N_i, ...).
      const batch = JSON.parse(JSON.stringify(generated).replaceAll('resp_', `resp_b${++batches}_`)) as typeof generated
      const bodies = seq === 0 ? [...head, ...batch] : batch
      const text = stamp(bodies, seq).map(encodeRecord).join('')
      seq += bodies.length
      bytes += Buffer.byteLength(text)
      await file.write(text)
      if (bytes >= megabytes * 1024 * 1024) break
    }
  } finally {
    await file.close()
  }
  return { bytes, records: seq }
}
