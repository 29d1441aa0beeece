// The list of runs. The index file is only a cache keyed by each log's size and mtime:
// deleting it, or any entry going stale, just means that log is scanned again.
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
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

const TAIL_BYTES = 64 * 1024

function firstAndLastRecords(bytes: Buffer): { first: RunRecord | null; last: RunRecord | null } {
  const firstEnd = bytes.indexOf(0x0a)
  const first = firstEnd > 0 ? decodeLine(bytes, 0, firstEnd) : null
  let last: RunRecord | null = null
  let end = bytes.lastIndexOf(0x0a)
  while (end > 0 && last === null) {
    const start = bytes.lastIndexOf(0x0a, end - 1) + 1
    const decoded = decodeLine(bytes, start, end)
    if (decoded.ok) last = decoded.record
    end = start - 1
    if (bytes.length - end > TAIL_BYTES) break
  }
  return { first: first?.ok ? first.record : null, last }
}

async function scanLog(path: string): Promise<RunListing> {
  const bytes = await readFile(path)
  const { first, last } = firstAndLastRecords(bytes)
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
