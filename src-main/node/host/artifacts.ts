// "Open full output": the artifact file of one tool call, read only from that run's own
// artifacts folder, whatever path the log names.
import { open, realpath } from 'node:fs/promises'
import { sep } from 'node:path'
import type { ArtifactView } from '../../common/api/contract'
import { HostError } from './host-error'

export const ARTIFACT_VIEW_LIMIT = 8 * 1024 * 1024

export async function readArtifact(artifactsDir: string, artifactPath: string): Promise<ArtifactView> {
  let real: string
  let root: string
  try {
    real = await realpath(artifactPath)
    root = await realpath(artifactsDir)
  } catch {
    throw new HostError('not_found', 'the full output of this call is no longer on disk')
  }
  if (!real.startsWith(`${root}${sep}`)) throw new HostError('invalid_request', 'the artifact is outside the run\'s folder')
  const file = await open(real, 'r')
  try {
    const { size } = await file.stat()
    const length = Math.min(size, ARTIFACT_VIEW_LIMIT)
    const buffer = Buffer.alloc(length)
    await file.read(buffer, 0, length, 0)
    return { text: buffer.toString('utf8'), bytes: size, truncated: size > length }
  } finally {
    await file.close()
  }
}
