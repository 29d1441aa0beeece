import { randomBytes } from 'node:crypto'

const RUN_ID = /^run_\d{8}T\d{6}Z_[0-9a-f]{6}$/

/** Sortable by start time, unique enough for one person's machine, safe as a file name. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  return `run_${stamp}_${randomBytes(3).toString('hex')}`
}

export function isRunId(value: string): boolean {
  return RUN_ID.test(value)
}
