// The changes panel: what a run changed in its repo. At the start of a run the working tree
// (tracked and untracked, .gitignore respected) is written as a git tree object through a
// temporary index, so the person's index, stash and branches are never touched; the diff is that
// tree against the working tree now.
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { z } from 'zod'
import type { ChangedFile, ChangesView } from '../../common/api/contract'
import { findGitRepository, GitLayoutError, type GitRepository } from '../git/git-repository'
import { git } from '../git/git-runner'
import { copyUntrustedFile } from '../git/untrusted-file'

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904'
const PATCH_LIMIT = 1024 * 1024
const BASELINE_FILE = 'baseline.json'
const MAX_INDEX_BYTES = 1024 * 1024 * 1024

const baselineSchema = z.object({ tree: z.string().regex(/^[0-9a-f]{40,64}$/) })

/** The workspace's path inside its repository, as a pathspec. */
async function pathspecOf(repo: GitRepository, workspace: string): Promise<string> {
  const inside = relative(repo.workTree, await realpath(workspace)).split(sep).join('/')
  return inside === '' ? '.' : inside
}

/** The working tree as a tree object, written with a throwaway index. */
export async function snapshotWorkingTree(repo: GitRepository, workspace: string): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), 'tether-index-'))
  const index = join(scratch, 'index')
  try {
    // Starting from the real index lets git skip rehashing files whose stat data is unchanged.
    await copyUntrustedFile(join(repo.gitDir, 'index'), index, MAX_INDEX_BYTES)
    await git(repo, ['add', '-A', '--', await pathspecOf(repo, workspace)], { env: { GIT_INDEX_FILE: index } })
    return (await git(repo, ['write-tree'], { env: { GIT_INDEX_FILE: index } })).trim()
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

/** Records the state of the repo a run starts from; a workspace outside git has no baseline. */
export async function saveBaseline(workspace: string, artifactsDir: string): Promise<void> {
  const repo = await findGitRepository(workspace)
  if (repo === null) return
  const tree = await snapshotWorkingTree(repo, workspace)
  await mkdir(artifactsDir, { recursive: true })
  await writeFile(join(artifactsDir, BASELINE_FILE), JSON.stringify({ tree }))
}

async function readBaseline(artifactsDir: string): Promise<string | null> {
  try {
    const parsed = baselineSchema.safeParse(JSON.parse(await readFile(join(artifactsDir, BASELINE_FILE), 'utf8')))
    return parsed.success ? parsed.data.tree : null
  } catch {
    return null
  }
}

async function headTree(repo: GitRepository): Promise<string> {
  try {
    return (await git(repo, ['rev-parse', '--verify', '--quiet', 'HEAD^{tree}'])).trim()
  } catch {
    return EMPTY_TREE
  }
}

const STATUS: Record<string, ChangedFile['status']> = { A: 'added', M: 'modified', D: 'deleted', R: 'renamed', T: 'modified', C: 'added' }

/** Parses `git diff -z --numstat` and `-z --name-status` output into one list. */
export function parseDiffSummary(numstat: string, nameStatus: string): ChangedFile[] {
  const statuses = new Map<string, ChangedFile['status']>()
  const names = nameStatus.split('\0')
  for (let i = 0; i < names.length - 1; ) {
    const code = names[i] ?? ''
    const renamed = code.startsWith('R') || code.startsWith('C')
    const path = renamed ? names[i + 2] : names[i + 1]
    if (path !== undefined) statuses.set(path, STATUS[code[0] ?? 'M'] ?? 'modified')
    i += renamed ? 3 : 2
  }
  const files: ChangedFile[] = []
  const fields = numstat.split('\0')
  for (let i = 0; i < fields.length - 1; ) {
    const [additions = '-', deletions = '-', inline = ''] = (fields[i] ?? '').split('\t')
    // A rename has an empty path field followed by the old and the new path.
    const path = inline === '' ? fields[i + 2] : inline
    i += inline === '' ? 3 : 1
    if (path === undefined) continue
    files.push({
      path,
      status: statuses.get(path) ?? 'modified',
      additions: additions === '-' ? 0 : Number(additions),
      deletions: deletions === '-' ? 0 : Number(deletions)
    })
  }
  return files
}

export async function changesSince(workspace: string, artifactsDir: string): Promise<ChangesView> {
  let repo: GitRepository | null
  try {
    repo = await findGitRepository(workspace)
  } catch (error) {
    if (error instanceof GitLayoutError) return { available: false, reason: `the repository cannot be read safely: ${error.message}` }
    throw error
  }
  if (repo === null) return { available: false, reason: `${workspace} is not a git repository` }
  const saved = await readBaseline(artifactsDir)
  const base = saved ?? (await headTree(repo))
  const current = await snapshotWorkingTree(repo, workspace)
  const diff = ['diff', '--no-color', '-M']
  const [numstat, nameStatus, patch] = await Promise.all([
    git(repo, [...diff, '-z', '--numstat', base, current]),
    git(repo, [...diff, '-z', '--name-status', base, current]),
    git(repo, [...diff, base, current])
  ])
  return {
    available: true,
    baseline: saved ? 'run-start' : 'head',
    files: parseDiffSummary(numstat, nameStatus),
    patch: patch.length > PATCH_LIMIT ? patch.slice(0, PATCH_LIMIT) : patch,
    truncated: patch.length > PATCH_LIMIT
  }
}
