// Opening a local repository: the path a person typed or picked, made absolute and real.
import { realpath, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { basename, isAbsolute, join } from 'node:path'
import type { RecentRepo } from '../../common/api/contract'
import { findGitRepository } from '../git/git-repository'
import { workspaceRefusal } from '../tools/sandbox/workspace-validation'
import { HostError } from './host-error'

/** `~` and `~/x` expand to the home directory; anything else must already be absolute. */
export function expandPath(path: string, home = homedir()): string {
  const trimmed = path.trim()
  if (trimmed === '~') return home
  if (trimmed.startsWith('~/')) return join(home, trimmed.slice(2))
  return trimmed
}

/** The real path of a folder that may be a workspace (see workspace-validation.ts), or a clear error. */
export async function resolveFolder(path: string, dataDir: string | null, home = homedir()): Promise<string> {
  const expanded = expandPath(path)
  if (!isAbsolute(expanded)) throw new HostError('invalid_request', `give an absolute path (got '${path}')`)
  let real: string
  try {
    real = await realpath(expanded)
  } catch {
    throw new HostError('not_found', `no such folder: ${expanded}`)
  }
  if (!(await stat(real)).isDirectory()) throw new HostError('invalid_request', `not a folder: ${real}`)
  const refusal = workspaceRefusal(real, { home, dataDir })
  if (refusal !== null) throw new HostError('invalid_request', `this folder cannot be a workspace: ${refusal}`)
  return real
}

export async function describeRepo(path: string, openedAt: number): Promise<RecentRepo> {
  // A repository whose layout is unsafe still opens; git is simply never run on it.
  const git = await findGitRepository(path).then((repo) => repo !== null, () => false)
  return { path, name: basename(path) || path, openedAt, git }
}
