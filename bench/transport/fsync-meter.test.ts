import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { probeDiskSync } from './disk-probe'
import { FsyncMeter } from './fsync-meter'

const directories: string[] = []
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true })
})

function scratch(): string {
  const directory = mkdtempSync(join(tmpdir(), 'tether-fsync-'))
  directories.push(directory)
  return directory
}

describe('FsyncMeter', () => {
  it('counts and times every datasync of the process until uninstalled', async () => {
    const meter = await FsyncMeter.install()
    const file = await open(join(scratch(), 'log'), 'w')
    try {
      await file.write('a\n')
      await file.datasync()
      await file.datasync()
      const totals = meter.take()
      expect(totals.count).toBe(2)
      expect(totals.ms).toBeGreaterThan(0)
      expect(meter.take()).toEqual({ count: 0, ms: 0 })
      meter.uninstall()
      await file.datasync()
      expect(meter.take()).toEqual({ count: 0, ms: 0 })
    } finally {
      meter.uninstall()
      await file.close()
    }
  })
})

describe('probeDiskSync', () => {
  it('times small synced appends and leaves no file behind', async () => {
    const directory = scratch()
    const latency = await probeDiskSync(directory, 10)
    expect({ directory: latency.directory, samples: latency.samples, ordered: latency.p50Ms <= latency.p90Ms, positive: latency.p50Ms > 0 }).toEqual({ directory, samples: 10, ordered: true, positive: true })
    expect(existsSync(join(directory, 'sync-probe.jsonl'))).toBe(false)
  })
})
