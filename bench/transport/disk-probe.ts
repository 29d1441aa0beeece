// How long one fdatasync of a small append takes on the disk the runs write to: the unit price of
// Tether's durability (tool.started and tool.finished are synced before the run acts on them).
import { open, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { median, percentile } from './stats'

export interface DiskSyncLatency {
  directory: string
  samples: number
  p50Ms: number
  p90Ms: number
}

export async function probeDiskSync(directory: string, samples = 100): Promise<DiskSyncLatency> {
  const path = join(directory, 'sync-probe.jsonl')
  const file = await open(path, 'wx')
  const line = `${JSON.stringify({ type: 'probe', text: 'x'.repeat(160) })}\n`
  const times: number[] = []
  try {
    for (let index = 0; index < samples; index++) {
      await file.write(line)
      const startedAt = performance.now()
      await file.datasync()
      times.push(performance.now() - startedAt)
    }
  } finally {
    await file.close()
    await rm(path, { force: true })
  }
  return { directory, samples, p50Ms: median(times), p90Ms: percentile(times, 0.9) }
}
