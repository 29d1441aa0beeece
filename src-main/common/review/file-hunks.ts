// The hunks of one changed file, computed the same way by the host (which reverts them) and the
// renderer (which shows them): a hunk is named by its line ranges, and a revert of a hunk the
// host no longer computes from the files on disk is refused rather than guessed.
import { applyPatch, reversePatch, structuredPatch, type StructuredPatchHunk } from 'diff'

export const DIFF_CONTEXT_LINES = 3

export interface HunkRef {
  oldStart: number
  oldLines: number
  newStart: number
  newLines: number
}

export type Hunk = StructuredPatchHunk

/**
 * The most edits a line diff looks for. Its cost grows with the square of the edits (a 20 000-line
 * file rewritten line by line took a minute, and froze whoever computed it); a file changed more
 * than this is one hunk: all of it replaced. A bound on edits, not on time, so the host and the
 * window always agree on the hunks.
 */
export const MAX_EDIT_LENGTH = 2000

/**
 * What a diff with this many changed lines cost, in the same units for every file, so that a view
 * can bound the work of all its diffs (a diff gives up past MAX_EDIT_LENGTH, so none costs more).
 */
export function diffCost(changedLines: number): number {
  const edits = Math.min(changedLines, MAX_EDIT_LENGTH)
  return edits * edits
}

/** The lines of `text` as a hunk shows them, marked with `sign`, with git's note for a missing final newline. */
function hunkLines(text: string, sign: '-' | '+'): string[] {
  if (text === '') return []
  const lines = text.split('\n')
  const complete = lines.at(-1) === ''
  if (complete) lines.pop()
  const marked = lines.map((line) => `${sign}${line}`)
  if (!complete) marked.push('\\ No newline at end of file')
  return marked
}

function wholeFileHunk(before: string, after: string): Hunk {
  const removed = hunkLines(before, '-')
  const added = hunkLines(after, '+')
  const count = (lines: string[]): number => lines.filter((line) => !line.startsWith('\\')).length
  return { oldStart: count(removed) > 0 ? 1 : 0, oldLines: count(removed), newStart: count(added) > 0 ? 1 : 0, newLines: count(added), lines: [...removed, ...added] }
}

function diffOf(before: string, after: string): { hunks: Hunk[]; whole: boolean } {
  const patch = structuredPatch('before', 'after', before, after, undefined, undefined, { context: DIFF_CONTEXT_LINES, maxEditLength: MAX_EDIT_LENGTH })
  return patch === undefined ? { hunks: [wholeFileHunk(before, after)], whole: true } : { hunks: patch.hunks, whole: false }
}

export function hunksOf(before: string, after: string): Hunk[] {
  return diffOf(before, after).hunks
}

export function sameHunk(hunk: HunkRef, ref: HunkRef): boolean {
  return hunk.oldStart === ref.oldStart && hunk.oldLines === ref.oldLines && hunk.newStart === ref.newStart && hunk.newLines === ref.newLines
}

/** Lines added and removed. */
export function lineCounts(hunks: Hunk[]): { additions: number; deletions: number } {
  let additions = 0
  let deletions = 0
  for (const hunk of hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith('+')) additions += 1
      else if (line.startsWith('-')) deletions += 1
    }
  }
  return { additions, deletions }
}

/** `after` with one of its hunks put back as it was in `before`; null when no such hunk exists. */
export function revertHunk(before: string, after: string, ref: HunkRef): string | null {
  const { hunks, whole } = diffOf(before, after)
  const hunk = hunks.find((candidate) => sameHunk(candidate, ref))
  if (!hunk) return null
  if (whole) return before
  const reversed = reversePatch({ oldFileName: 'before', newFileName: 'after', oldHeader: undefined, newHeader: undefined, hunks: [hunk] })
  const result = applyPatch(after, reversed)
  return result === false ? null : result
}
