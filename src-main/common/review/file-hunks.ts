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

export function hunksOf(before: string, after: string): Hunk[] {
  return structuredPatch('before', 'after', before, after, undefined, undefined, { context: DIFF_CONTEXT_LINES }).hunks
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
  const hunk = hunksOf(before, after).find((candidate) => sameHunk(candidate, ref))
  if (!hunk) return null
  const reversed = reversePatch({ oldFileName: 'before', newFileName: 'after', oldHeader: undefined, newHeader: undefined, hunks: [hunk] })
  const result = applyPatch(after, reversed)
  return result === false ? null : result
}
