// The checkpoints of one run, as one append-only JSON-lines file under the data dir: each line is
// a delta against the line before it (the first, against nothing), so a checkpoint costs what
// changed, and the workspace at checkpoint k is lines 0..k folded. A torn last line (a crash
// mid-append) is ignored.
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import { z } from 'zod'
import type { SnapshotEntry } from './entry'
import { Manifest } from './manifest'

/**
 * `base`: the workspace as the run found it; `before`/`after`: around a call that may change
 * files; `rescan`: what a full look found (resume, doubt, a rewind's starting point); `restored`:
 * the state a rewind or a revert wrote.
 */
export type CheckpointLabel = 'base' | 'before' | 'after' | 'rescan' | 'restored'

export interface CheckpointLine {
  n: number
  label: CheckpointLabel
  callId: string | null
  tool: string | null
  at: number
  notes: string[]
  delta: [string, SnapshotEntry | null][]
}

const stat = z.string().max(200)
export const entrySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), mode: z.number().int(), size: z.number(), hash: z.string().nullable(), note: z.string().nullable(), stat }),
  z.object({ kind: z.literal('link'), target: z.string(), stat }),
  z.object({ kind: z.literal('dir'), mode: z.number().int(), stat })
])
const lineSchema = z.object({
  n: z.number().int(),
  label: z.enum(['base', 'before', 'after', 'rescan', 'restored']),
  callId: z.string().nullable(),
  tool: z.string().nullable(),
  at: z.number(),
  notes: z.array(z.string()),
  delta: z.array(z.tuple([z.string(), entrySchema.nullable()]))
})

export async function readCheckpointLog(path: string): Promise<CheckpointLine[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  const lines: CheckpointLine[] = []
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue
    let parsed
    try {
      parsed = lineSchema.safeParse(JSON.parse(raw))
    } catch {
      break
    }
    if (!parsed.success || parsed.data.n !== lines.length) break
    lines.push(parsed.data as CheckpointLine)
  }
  return lines
}

/** The workspace as checkpoint `index` recorded it. */
export function manifestAt(lines: CheckpointLine[], index: number): Manifest {
  const manifest = new Manifest()
  for (const line of lines.slice(0, index + 1)) manifest.apply(line.delta)
  return manifest
}

/** Appends checkpoints; each append is on disk before it resolves. */
export class CheckpointLogWriter {
  readonly path: string
  #handle: FileHandle
  #next: number

  private constructor(path: string, handle: FileHandle, next: number) {
    this.path = path
    this.#handle = handle
    this.#next = next
  }

  static async open(path: string, next: number): Promise<CheckpointLogWriter> {
    await mkdir(dirname(path), { recursive: true })
    return new CheckpointLogWriter(path, await open(path, 'a', 0o600), next)
  }

  get count(): number {
    return this.#next
  }

  async append(line: Omit<CheckpointLine, 'n'>): Promise<CheckpointLine> {
    const full: CheckpointLine = { n: this.#next, ...line }
    await this.#handle.appendFile(`${JSON.stringify(full)}\n`)
    await this.#handle.datasync()
    this.#next += 1
    return full
  }

  close(): Promise<void> {
    return this.#handle.close()
  }
}
