// What the runs list shows beyond the store's listing: the task a run started with and its
// provider label. Both are in the first records, which never change, so they are read once.
import { open } from 'node:fs/promises'
import type { RunRecord } from '../../common/run/records'
import { decodeLine } from '../store/record-codec'

const HEAD_BYTES = 64 * 1024
const TITLE_LIMIT = 300

export interface RunHead {
  title: string | null
  provider: string | null
}

async function readHead(path: string): Promise<Buffer> {
  const file = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(HEAD_BYTES)
    const { bytesRead } = await file.read(buffer, 0, HEAD_BYTES, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await file.close()
  }
}

export function runHeadOf(bytes: Buffer): RunHead {
  const head: RunHead = { title: null, provider: null }
  let start = 0
  for (let end = bytes.indexOf(0x0a); end !== -1 && head.title === null; end = bytes.indexOf(0x0a, start)) {
    const decoded = decodeLine(bytes, start, end)
    start = end + 1
    if (!decoded.ok) continue
    const record: RunRecord = decoded.record
    if (record.type === 'run.started') head.provider = record.provider.name
    if (record.type === 'user.input' && record.kind === 'task') head.title = record.text.slice(0, TITLE_LIMIT)
  }
  return head
}

export class RunHeads {
  #known = new Map<string, RunHead>()

  async of(runId: string, path: string): Promise<RunHead> {
    const cached = this.#known.get(runId)
    if (cached) return cached
    let head: RunHead
    try {
      head = runHeadOf(await readHead(path))
    } catch {
      return { title: null, provider: null }
    }
    // A run whose task line is not written yet is read again next time.
    if (head.title !== null) this.#known.set(runId, head)
    return head
  }
}
