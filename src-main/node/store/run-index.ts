// The list of runs. The index file is only a cache keyed by each log's size and mtime:
// deleting it, or any entry going stale, just means that log is scanned again.
import { mkdir, open, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { basename, join } from 'node:path'
import type { RunOutcome, RunRecord } from '../../common/run/records'
import type { DataDir } from './data-dir'
import { decodeLine } from './record-codec'
import { syncDirectory } from './sync-directory'

export interface RunListing {
  id: string
  workspace: string | null
  model: string | null
  /** The outcome from `run.finished`, or `unfinished` for a run still going or cut short. */
  status: RunOutcome | 'unfinished'
  startedAt: number | null
  /** Until `run.finished`, or until the last record of an unfinished run. */
  durationMs: number | null
  path: string
}

interface IndexEntry {
  size: number
  mtimeMs: number
  listing: RunListing
}

interface IndexFile {
  version: 1
  entries: Record<string, IndexEntry>
}

/** The head and the tail read for a listing: a log of any size lists at the cost of these two reads. */
const HEAD_BYTES = 256 * 1024
const TAIL_BYTES = 64 * 1024

function firstRecord(head: Buffer): RunRecord | null {
  const firstEnd = head.indexOf(0x0a)
  const first = firstEnd > 0 ? decodeLine(head, 0, firstEnd) : null
  return first?.ok ? first.record : null
}

/** The last complete record in `tail` (the file's last bytes; its first line may be cut). */
function lastRecord(tail: Buffer, cutFirstLine: boolean): RunRecord | null {
  const floor = cutFirstLine ? tail.indexOf(0x0a) : -1
  let end = tail.lastIndexOf(0x0a)
  while (end > floor) {
    const start = tail.lastIndexOf(0x0a, end - 1) + 1
    if (start <= floor) break
    const decoded = decodeLine(tail, start, end)
    if (decoded.ok) return decoded.record
    end = start - 1
  }
  return null
}

async function readEnds(path: string): Promise<{ head: Buffer; tail: Buffer; cutFirstLine: boolean }> {
  const file = await open(path, 'r')
  try {
    const size = (await file.stat()).size
    const read = async (length: number, position: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(length)
      const { bytesRead } = await file.read(buffer, 0, length, position)
      return buffer.subarray(0, bytesRead)
    }
    const head = await read(Math.min(size, HEAD_BYTES), 0)
    if (size <= HEAD_BYTES) return { head, tail: head, cutFirstLine: false }
    const tailStart = Math.max(0, size - TAIL_BYTES)
    return { head, tail: await read(size - tailStart, tailStart), cutFirstLine: tailStart > 0 }
  } finally {
    await file.close()
  }
}

async function scanLog(path: string): Promise<RunListing> {
  const { head, tail, cutFirstLine } = await readEnds(path)
  const first = firstRecord(head)
  const last = lastRecord(tail, cutFirstLine)
  const started = first?.type === 'run.started' ? first : null
  const finished = last?.type === 'run.finished' ? last : null
  return {
    id: started?.runId ?? basename(path, '.jsonl'),
    workspace: started?.workspace ?? null,
    model: started?.model ?? null,
    status: finished ? finished.outcome : 'unfinished',
    startedAt: first?.ts ?? null,
    durationMs: first && last ? last.ts - first.ts : null,
    path
  }
}

async function readIndex(path: string): Promise<IndexFile> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as IndexFile
    if (parsed.version === 1 && typeof parsed.entries === 'object' && parsed.entries !== null) return parsed
  } catch {
    // A missing or damaged index is rebuilt from the logs below.
  }
  return { version: 1, entries: {} }
}

/** All runs, newest first. Logs are never deleted here or anywhere else automatically. */
export async function listRuns(dataDir: DataDir): Promise<RunListing[]> {
  await mkdir(dataDir.runs, { recursive: true })
  const index = await readIndex(dataDir.runIndex)
  const names = (await readdir(dataDir.runs)).filter((name) => name.endsWith('.jsonl'))
  const entries: Record<string, IndexEntry> = {}
  let changed = names.length !== Object.keys(index.entries).length
  for (const name of names) {
    const path = join(dataDir.runs, name)
    const info = await stat(path)
    const cached = index.entries[name]
    if (cached && cached.size === info.size && cached.mtimeMs === info.mtimeMs) {
      entries[name] = cached
      continue
    }
    entries[name] = { size: info.size, mtimeMs: info.mtimeMs, listing: await scanLog(path) }
    changed = true
  }
  if (changed) {
    // A name of its own: the CLI and the app may list runs at the same moment.
    const temporary = `${dataDir.runIndex}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
    await writeFile(temporary, JSON.stringify({ version: 1, entries } satisfies IndexFile))
    await rename(temporary, dataDir.runIndex)
    await syncDirectory(dataDir.runs)
  }
  return Object.values(entries)
    .map((entry) => entry.listing)
    .sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0))
}
