// The Changes view: the workspace as the run found it (the run's first checkpoint) against the
// workspace now, both from Tether's own store. Git's index, exclude rules, replace objects and
// the like play no part, so nothing a run does to them can hide or fake a change.
import type { ChangedFile } from '../../common/api/contract'
import { diffCost, hunksOf, lineCounts, MAX_EDIT_LENGTH } from '../../common/review/file-hunks'
import { ancestorsOf, sameContent, type SnapshotEntry } from './entry'
import type { Manifest } from './manifest'
import type { ObjectStore } from './object-store'

/** Texts larger than this are not diffed. */
const MAX_TEXT_BYTES = 1024 * 1024
/** All texts of one view together. */
const MAX_VIEW_TEXT_BYTES = 16 * 1024 * 1024
/** What all the diffs of one view may cost together: ten files changed past MAX_EDIT_LENGTH lines (see diffCost). */
const MAX_VIEW_DIFF_COST = 10 * diffCost(MAX_EDIT_LENGTH)


function modeOf(entry: SnapshotEntry | undefined): number | null {
  return entry === undefined || entry.kind === 'link' ? null : entry.mode
}

function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0)
}

interface TextBudget {
  left: number
  diffCostLeft: number
  truncated: boolean
}

async function textOf(entry: SnapshotEntry | undefined, objects: ObjectStore, budget: TextBudget): Promise<{ text: string | null; note: string | null }> {
  if (entry === undefined || entry.kind === 'dir') return { text: '', note: null }
  if (entry.kind === 'link') return { text: null, note: null }
  if (entry.hash === null) return { text: null, note: entry.note }
  if (entry.size > MAX_TEXT_BYTES) return { text: null, note: 'too large to show as text' }
  if (entry.size > budget.left) {
    budget.truncated = true
    return { text: null, note: 'left out: the view is already large' }
  }
  const content = await objects.get(entry.hash)
  if (isBinary(content)) return { text: null, note: 'binary' }
  budget.left -= content.length
  return { text: content.toString('utf8'), note: null }
}

function describeLink(before: SnapshotEntry | undefined, after: SnapshotEntry | undefined): string | null {
  const target = (entry: SnapshotEntry | undefined): string | null => (entry?.kind === 'link' ? entry.target : null)
  if (before?.kind !== 'link' && after?.kind !== 'link') return null
  return `link: ${target(before) ?? '(none)'} → ${target(after) ?? '(none)'}`
}

/** Paths whose content, kind or mode differ between the two manifests. */
export function differingPaths(base: Manifest, current: Manifest): string[] {
  const paths: string[] = []
  for (const [path, entry] of current.entries()) if (!sameContent(base.get(path), entry)) paths.push(path)
  for (const path of base.paths()) if (!current.has(path)) paths.push(path)
  return paths.sort()
}

export async function changedFiles(base: Manifest, current: Manifest, objects: ObjectStore): Promise<{ files: ChangedFile[]; truncated: boolean }> {
  const paths = differingPaths(base, current)
  const explained = ancestorsOf(paths)
  // A directory is listed only when nothing below it explains its change (an empty folder, a mode change).
  const listed = paths.filter((path) => {
    const before = base.get(path)
    const after = current.get(path)
    const isDir = (before ?? after)?.kind === 'dir'
    if (!isDir) return true
    if (before?.kind === 'dir' && after?.kind === 'dir') return true
    return !explained.has(path)
  })
  // A deleted file whose exact content appears at an added path was renamed.
  const deletedByHash = new Map<string, string[]>()
  for (const path of listed) {
    const before = base.get(path)
    if (!current.has(path) && before?.kind === 'file' && before.hash !== null) deletedByHash.set(before.hash, [...(deletedByHash.get(before.hash) ?? []), path])
  }
  const renamedFrom = new Map<string, string>()
  for (const path of listed) {
    const after = current.get(path)
    if (base.has(path) || after?.kind !== 'file' || after.hash === null) continue
    const from = deletedByHash.get(after.hash)?.shift()
    if (from !== undefined) renamedFrom.set(path, from)
  }
  const consumed = new Set(renamedFrom.values())
  const budget: TextBudget = { left: MAX_VIEW_TEXT_BYTES, diffCostLeft: MAX_VIEW_DIFF_COST, truncated: false }
  const files: ChangedFile[] = []
  for (const path of listed) {
    if (consumed.has(path)) continue
    const oldPath = renamedFrom.get(path) ?? null
    const before = base.get(oldPath ?? path)
    const after = current.get(path)
    const status: ChangedFile['status'] = oldPath !== null ? 'renamed' : before === undefined ? 'added' : after === undefined ? 'deleted' : 'modified'
    const beforeText = await textOf(before, objects, budget)
    const afterText = await textOf(after, objects, budget)
    let texts = beforeText.text !== null && afterText.text !== null
    if (texts && budget.diffCostLeft <= 0) {
      texts = false
      budget.truncated = true
      afterText.note = 'left out: the view already holds many large changes'
    }
    const counts = texts ? lineCounts(hunksOf(beforeText.text!, afterText.text!)) : { additions: 0, deletions: 0 }
    budget.diffCostLeft -= diffCost(counts.additions + counts.deletions)
    files.push({
      path,
      oldPath,
      status,
      kind: (after ?? before)!.kind,
      additions: counts.additions,
      deletions: counts.deletions,
      before: texts ? beforeText.text : null,
      after: texts ? afterText.text : null,
      modeBefore: modeOf(before),
      modeAfter: modeOf(after),
      note: describeLink(before, after) ?? afterText.note ?? beforeText.note
    })
  }
  return { files, truncated: budget.truncated }
}

