// The changes panel: what a run changed in its repo. At the start of a run the working tree
// (tracked and untracked, .gitignore respected) is written as a git tree object through a
// temporary index, so the person's index, stash and branches are never touched; the diff is that
// tree against the working tree now.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { z } from 'zod'
import type { ChangedFile, ChangesView } from '../../common/api/contract'
import { git, isGitWorkTree } from './git'

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904'
const PATCH_LIMIT = 1024 * 1024
const BASELINE_FILE = 'baseline.json'

const baselineSchema = z.object({ tree: z.string().regex(/^[0-9a-f]{40,64}$/) })

/** The working tree as a tree object, written with a throwaway index. */
export async function snapshotWorkingTree(workspace: string): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), 'tether-index-'))
  const index = join(scratch, 'index')
  try {
    const gitDir = (await git(workspace, ['rev-parse', '--git-dir'])).trim()
    // Starting from the real index lets git skip rehashing files whose stat data is unchanged.
    await copyFile(join(isAbsolute(gitDir) ? gitDir : join(workspace, gitDir), 'index'), index).catch(() => undefined)
    await git(workspace, ['add', '-A', '--', '.'], { GIT_INDEX_FILE: index })
    return (await git(workspace, ['write-tree'], { GIT_INDEX_FILE: index })).trim()
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

/** Records the state of the repo a run starts from; a workspace outside git has no baseline. */
export async function saveBaseline(workspace: string, artifactsDir: string): Promise<void> {
  if (!(await isGitWorkTree(workspace))) return
  const tree = await snapshotWorkingTree(workspace)
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

async function headTree(workspace: string): Promise<string> {
  try {
    return (await git(workspace, ['rev-parse', 'HEAD^{tree}'])).trim()
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
  if (!(await isGitWorkTree(workspace))) return { available: false, reason: `${workspace} is not a git repository` }
  const saved = await readBaseline(artifactsDir)
  const base = saved ?? (await headTree(workspace))
  const current = await snapshotWorkingTree(workspace)
  const diff = ['diff', '--no-ext-diff', '--no-textconv', '--no-color', '-M']
  const [numstat, nameStatus, patch] = await Promise.all([
    git(workspace, [...diff, '-z', '--numstat', base, current]),
    git(workspace, [...diff, '-z', '--name-status', base, current]),
    git(workspace, [...diff, base, current])
  ])
  return {
    available: true,
    baseline: saved ? 'run-start' : 'head',
    files: parseDiffSummary(numstat, nameStatus),
    patch: patch.length > PATCH_LIMIT ? patch.slice(0, PATCH_LIMIT) : patch,
    truncated: patch.length > PATCH_LIMIT
  }
}
