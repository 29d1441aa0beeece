import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARTIFACT_VIEW_LIMIT, readArtifact } from './artifacts'

describe('readArtifact', () => {
  let folder: string
  let artifacts: string
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tether-artifacts-'))
    artifacts = join(folder, 'run.artifacts')
    await mkdir(artifacts)
    await writeFile(join(artifacts, 'call_1.out'), 'line one\nline two\n')
    await writeFile(join(artifacts, 'big.out'), Buffer.alloc(ARTIFACT_VIEW_LIMIT + 10, 0x61))
    await writeFile(join(folder, 'secret.txt'), 'secret')
    await symlink(join(folder, 'secret.txt'), join(artifacts, 'link.out'))
  })
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true })
  })

  it('reads a call\'s full output, the first part of a huge one', async () => {
    expect(await readArtifact(artifacts, join(artifacts, 'call_1.out'))).toEqual({ text: 'line one\nline two\n', bytes: 18, truncated: false })
    const big = await readArtifact(artifacts, join(artifacts, 'big.out'))
    expect([big.text.length, big.bytes, big.truncated]).toEqual([ARTIFACT_VIEW_LIMIT, ARTIFACT_VIEW_LIMIT + 10, true])
  })

  it('reads nothing outside the run\'s artifacts folder, whatever the log names', async () => {
    await expect(readArtifact(artifacts, join(folder, 'secret.txt'))).rejects.toThrow("the artifact is outside the run's folder")
    await expect(readArtifact(artifacts, join(artifacts, 'link.out'))).rejects.toThrow("the artifact is outside the run's folder")
    await expect(readArtifact(artifacts, join(artifacts, 'gone.out'))).rejects.toThrow('the full output of this call is no longer on disk')
  })
})
