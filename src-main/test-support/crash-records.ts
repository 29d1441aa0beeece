// The records the crash tests append, each a pure function of its seq, so that after a crash the
// test can check every surviving record byte for byte. The mix of a run streaming a long tool
// output: mostly small stream events, ~64 KB terminal chunks, and every ten records or so a
// durable tool or input record that waits for the disk. Pure TypeScript.
import type { RunRecordBody } from '../common/run/records'
import type { SyncFacts } from '../common/run/sync-point'

export const LARGE_RECORD_BYTES = 64 * 1024

/** A well-mixed 32-bit hash (from splitmix32), so neighbouring seqs get unrelated kinds. */
function mix(value: number): number {
  let z = (value + 0x9e3779b9) | 0
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) >>> 0
}

function filler(seq: number, length: number): string {
  const unit = `${seq.toString(36)}-0123456789abcdefghijklmnopqrstuvwxyz\r\n`
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length)
}

/** The crash records' calls are shell commands: effectful, so their starts wait for the disk and their ends begin a sync. */
export const CRASH_FACTS: SyncFacts = { durability: 'effectful' }

export function crashBody(seq: number): RunRecordBody {
  const roll = mix(seq) % 100
  const callId = `call_${seq}`
  if (roll < 75) {
    return {
      type: 'server.event',
      event: {
        type: 'response.output_text.delta',
        item_id: `msg_${Math.floor(seq / 50)}`,
        output_index: 0,
        content_index: 0,
        delta: `chunk ${seq} `,
        logprobs: [],
        sequence_number: seq
      }
    }
  }
  if (roll < 90) return { type: 'tool.output', callId, data: filler(seq, LARGE_RECORD_BYTES) }
  if (roll < 95) return { type: 'tool.started', callId, name: 'shell', arguments: JSON.stringify({ command: `make test-${seq}` }) }
  if (roll < 99) {
    return { type: 'tool.finished', callId, status: 'ok', exitCode: 0, output: filler(seq, 512 + (roll % 8) * 1024), durationMs: roll, artifactPath: null }
  }
  return { type: 'user.input', kind: 'steer', text: `steer ${seq}: keep going` }
}
