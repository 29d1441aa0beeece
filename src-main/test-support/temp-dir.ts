// Scratch folders for tests that touch the disk, removed after each test.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'

/** Returns a factory of fresh folders; every folder it made is deleted after each test. */
export function useTempDirs(prefix = 'tether-test-'): () => Promise<string> {
  const made: string[] = []
  afterEach(async () => {
    await Promise.all(made.splice(0).map((path) => rm(path, { recursive: true, force: true })))
  })
  return async () => {
    const path = await mkdtemp(join(tmpdir(), prefix))
    made.push(path)
    return path
  }
}
