// Scratch directories for the tool tests. They live under /var/tmp, not /tmp: inside the sandbox
// /tmp is the run's own directory, so a test directory under /tmp would be invisible there and
// "outside the workspace" would be trivially unreachable.
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = '/var/tmp'

export function scratchDir(prefix: string): string {
  mkdirSync(ROOT, { recursive: true })
  return realpathSync(mkdtempSync(join(ROOT, `tether-test-${prefix}-`)))
}

export function removeScratch(path: string): void {
  rmSync(path, { recursive: true, force: true })
}
