// Commits what a run changed, from Tether's own copies of the files, with git plumbing only: the
// blobs are written without filters, the tree is built in a throwaway index from HEAD, and the
// branch moves only if it still points where it did (compare-and-swap). Nothing is ever pushed,
// no hook runs, and only the run's paths go in: the person's other local changes stay uncommitted.
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import type { GitRepository } from '../git/git-repository'
import { git } from '../git/git-runner'
import type { Manifest } from '../snapshots/manifest'
import type { ObjectStore } from '../snapshots/object-store'
import { differingPaths } from '../snapshots/workspace-changes'
import { commitIdentity } from './git-identity'

export class CommitError extends Error {}

export interface CommitTarget {
  message: string
  /** A new branch to create at the commit (HEAD and the working tree stay where they are); null: the current branch. */
  newBranch: string | null
}

export interface CommitResult {
  commit: string
  branch: string
  paths: string[]
}

function gitMode(mode: number): string {
  return (mode & 0o111) !== 0 ? '100755' : '100644'
}

/** Git's rules for a branch name, checked before git sees it (update-ref checks again). */
const BRANCH_NAME = /^(?!-)(?!.*\.\.)(?!.*@\{)(?!.*\/\/)(?!.*\/\.)(?!.*\.lock(\/|$))[A-Za-z0-9._/-]+(?<![./])$/

async function revParse(repo: GitRepository, what: string): Promise<string | null> {
  return git(repo, ['rev-parse', '--verify', '--quiet', what]).then(
    (out) => out.trim() || null,
    () => null
  )
}

export async function commitRunChanges(repo: GitRepository, workspace: string, base: Manifest, current: Manifest, objects: ObjectStore, target: CommitTarget): Promise<CommitResult> {
  const message = target.message.trim()
  if (message.length === 0) throw new CommitError('a commit needs a message')
  const root = repo.workTree
  const prefix = relative(root, await realpath(workspace)).split(sep).join('/')
  const inRepo = (path: string): string => (prefix === '' ? path : `${prefix}/${path}`)
  const paths = differingPaths(base, current).filter((path) => (current.get(path) ?? base.get(path))?.kind !== 'dir')
  if (paths.length === 0) throw new CommitError('there are no changes to commit')
  if (target.newBranch !== null) {
    if (!BRANCH_NAME.test(target.newBranch)) throw new CommitError(`'${target.newBranch}' is not a valid branch name`)
    if ((await revParse(repo, `refs/heads/${target.newBranch}`)) !== null) throw new CommitError(`a branch named ${target.newBranch} already exists`)
  }
  const headRef = await git(repo, ['symbolic-ref', '--quiet', 'HEAD']).then(
    (out) => out.trim() || null,
    () => null
  )
  if (target.newBranch === null && headRef === null) throw new CommitError('HEAD is detached: commit on a new branch instead')
  const parent = await revParse(repo, 'HEAD^{commit}')

  const scratch = await mkdtemp(join(tmpdir(), 'tether-commit-'))
  try {
    const index = { env: { GIT_INDEX_FILE: join(scratch, 'index') } }
    await git(repo, parent === null ? ['read-tree', '--empty'] : ['read-tree', parent], index)
    const added: { path: string; mode: string; file: string }[] = []
    const removed: string[] = []
    for (const [n, path] of paths.entries()) {
      const entry = current.get(path)
      if (entry === undefined) removed.push(inRepo(path))
      else if (entry.kind === 'link') {
        const file = join(scratch, `link-${n}`)
        await writeFile(file, entry.target)
        added.push({ path: inRepo(path), mode: '120000', file })
      } else if (entry.kind === 'file') {
        if (entry.hash === null) throw new CommitError(`${path} cannot be committed: ${entry.note ?? 'its content was not kept'}`)
        const file = join(scratch, `file-${n}`)
        await writeFile(file, await objects.get(entry.hash), { mode: 0o600 })
        added.push({ path: inRepo(path), mode: gitMode(entry.mode), file })
      }
    }
    const cacheInfo: string[] = []
    if (added.length > 0) {
      const shas = (await git(repo, ['hash-object', '-w', '--no-filters', '--', ...added.map((item) => item.file)])).trim().split('\n')
      added.forEach((item, i) => cacheInfo.push('--cacheinfo', `${item.mode},${shas[i]},${item.path}`))
      await git(repo, ['update-index', '--add', ...cacheInfo], index)
    }
    if (removed.length > 0) await git(repo, ['update-index', '--force-remove', '--', ...removed], index)
    const tree = (await git(repo, ['write-tree'], index)).trim()
    const identity = { env: await commitIdentity() }
    const commit = (await git(repo, ['commit-tree', tree, ...(parent === null ? [] : ['-p', parent]), '-m', message], identity).catch((error: Error) => {
      throw new CommitError(error.message.includes('identity') ? 'git does not know who you are: set user.name and user.email' : error.message)
    })).trim()
    const ref = target.newBranch === null ? headRef! : `refs/heads/${target.newBranch}`
    // The old value makes the move conditional: a branch that moved meanwhile is left alone.
    await git(repo, ['update-ref', '-m', 'tether: commit a run\'s changes', ref, commit, target.newBranch === null ? (parent ?? '') : '']).catch((error: Error) => {
      throw new CommitError(`the branch moved while committing; nothing was changed (${error.message})`)
    })
    if (target.newBranch === null) {
      // The files on disk already match the commit: the index follows, so nothing shows as staged.
      if (cacheInfo.length > 0) await git(repo, ['update-index', '--add', ...cacheInfo])
      if (removed.length > 0) await git(repo, ['update-index', '--force-remove', '--', ...removed])
    }
    return { commit, branch: ref.replace(/^refs\/heads\//, ''), paths }
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}
