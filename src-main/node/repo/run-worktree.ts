// A run in its own git worktree: a fresh checkout of the repository's HEAD on a new branch
// `tether/<run id>`, beside the data dir (commands in the sandbox cannot write inside the data
// dir, and a workspace there would be hidden from them). The person's working tree, index and
// current branch are never touched; the worktree's record says where it came from.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import type { WorktreeInfo } from '../../common/run/records'
import { git } from '../host/git'
import type { DataDir } from '../store/data-dir'

export class WorktreeError extends Error {}

const recordSchema = z.object({ repo: z.string(), branch: z.string(), baseCommit: z.string(), path: z.string() })

export function branchOf(runId: string): string {
  return `tether/${runId}`
}

/** Creates the worktree of a new run from `repo`'s HEAD. */
export async function createRunWorktree(dataDir: DataDir, repo: string, runId: string): Promise<WorktreeInfo & { path: string }> {
  let root: string
  let baseCommit: string
  try {
    root = (await git(repo, ['rev-parse', '--show-toplevel'])).trim()
    baseCommit = (await git(root, ['rev-parse', '--verify', 'HEAD^{commit}'])).trim()
  } catch {
    throw new WorktreeError(`${repo} is not a git repository with a commit: a worktree run starts from HEAD`)
  }
  const parent = dataDir.worktrees
  await mkdir(parent, { recursive: true })
  const path = join(parent, runId)
  const branch = branchOf(runId)
  try {
    await git(root, ['worktree', 'add', '--quiet', '-b', branch, path, baseCommit])
  } catch (error) {
    throw new WorktreeError(`cannot create the worktree: ${(error as Error).message}`)
  }
  const info = { repo: root, branch, baseCommit, path }
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
    await git(parsed.data.repo, ['worktree', 'remove', '--force', parsed.data.path]).catch(() => undefined)
    await rm(parsed.data.path, { recursive: true, force: true })
    await git(parsed.data.repo, ['worktree', 'prune']).catch(() => undefined)
    await rm(join(parent, name), { force: true })
    removed.push(runId)
  }
  return removed
}
