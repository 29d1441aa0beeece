// A run in its own git worktree: a fresh checkout of the repository's HEAD on a new branch
// `tether/<run id>`, beside the data dir (commands in the sandbox cannot write inside the data
// dir, and a workspace there would be hidden from them). The person's working tree, index and
// current branch are never touched; the worktree's record says where it came from.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import type { WorktreeInfo } from '../../common/run/records'
import { findGitRepository, GitLayoutError, type GitRepository } from '../git/git-repository'
import { git } from '../git/git-runner'
import type { DataDir } from '../store/data-dir'

export class WorktreeError extends Error {}

const recordSchema = z.object({ repo: z.string(), branch: z.string(), baseCommit: z.string(), path: z.string() })

/** The checked repository of a run's workspace: its worktree (trusting the origin's git dir) or the workspace itself. */
export async function repositoryOfRun(workspace: string, worktree: WorktreeInfo | null): Promise<GitRepository | null> {
  const origin = worktree ? await findGitRepository(worktree.repo) : null
  return findGitRepository(workspace, { trustedGitDirs: origin ? [origin.commonDir] : [] })
}

export function branchOf(runId: string): string {
  return `tether/${runId}`
}

/** Creates the worktree of a new run from `repo`'s HEAD. */
export async function createRunWorktree(dataDir: DataDir, repo: string, runId: string): Promise<WorktreeInfo & { path: string }> {
  let found: GitRepository | null
  try {
    found = await findGitRepository(repo)
  } catch (error) {
    if (error instanceof GitLayoutError) throw new WorktreeError(`the repository cannot be used safely: ${error.message}`)
    throw error
  }
  if (found === null) throw new WorktreeError(`${repo} is not in a git repository: a worktree run starts from HEAD`)
  const baseCommit = (await git(found, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).catch(() => '')).trim()
  if (baseCommit === '') throw new WorktreeError(`${repo} has no commit yet: a worktree run starts from HEAD`)
  const parent = dataDir.worktrees
  await mkdir(parent, { recursive: true })
  const path = join(parent, runId)
  const branch = branchOf(runId)
  try {
    await git(found, ['worktree', 'add', '--quiet', '-b', branch, path, baseCommit])
  } catch (error) {
    throw new WorktreeError(`cannot create the worktree: ${(error as Error).message}`)
  }
  const info = { repo: found.workTree, branch, baseCommit, path }
  await writeFile(join(parent, `${runId}.json`), JSON.stringify(info), { mode: 0o600 })
  return info
}

/**
 * Removes the worktrees of runs whose logs are gone (the branch stays: it may hold commits).
 * Returns the run ids whose worktrees were removed.
 */
export async function removeOrphanWorktrees(dataDir: DataDir, runExists: (runId: string) => Promise<boolean>): Promise<string[]> {
  const parent = dataDir.worktrees
  const names = await readdir(parent).catch(() => [] as string[])
  const removed: string[] = []
  for (const name of names) {
    if (!name.endsWith('.json')) continue
    const runId = name.slice(0, -'.json'.length)
    if (await runExists(runId)) continue
    const parsed = recordSchema.safeParse(JSON.parse(await readFile(join(parent, name), 'utf8').catch(() => 'null')))
    if (!parsed.success || parsed.data.path !== join(parent, runId)) continue
    const origin = await findGitRepository(parsed.data.repo).catch(() => null)
    if (origin) await git(origin, ['worktree', 'remove', '--force', parsed.data.path]).catch(() => undefined)
    await rm(parsed.data.path, { recursive: true, force: true })
    if (origin) await git(origin, ['worktree', 'prune']).catch(() => undefined)
    await rm(join(parent, name), { force: true })
    removed.push(runId)
  }
  return removed
}
