// The rows a file's diff is drawn with: hunk headers and lines, either one column (unified) or
// old and new side by side, with line numbers. Pure, so a long diff can be windowed by index.
import type { Hunk } from '../../../src-main/common/review/file-hunks'

export type LineType = 'add' | 'del' | 'ctx'

export interface DiffLine {
  type: LineType
  number: number
  text: string
}

export type DiffRow =
  | { kind: 'hunk'; hunk: Hunk; index: number }
  | { kind: 'line'; type: LineType; oldNumber: number | null; newNumber: number | null; text: string }
  | { kind: 'pair'; left: DiffLine | null; right: DiffLine | null }

/** `\ No newline at end of file` markers describe the line before them; they are not lines. */
function contentLines(hunk: Hunk): string[] {
  return hunk.lines.filter((line) => !line.startsWith('\\'))
}

export function unifiedRows(hunks: Hunk[]): DiffRow[] {
  const rows: DiffRow[] = []
  hunks.forEach((hunk, index) => {
    rows.push({ kind: 'hunk', hunk, index })
    let oldNumber = hunk.oldStart
    let newNumber = hunk.newStart
    for (const line of contentLines(hunk)) {
      const text = line.slice(1)
      if (line.startsWith('+')) rows.push({ kind: 'line', type: 'add', oldNumber: null, newNumber: newNumber++, text })
      else if (line.startsWith('-')) rows.push({ kind: 'line', type: 'del', oldNumber: oldNumber++, newNumber: null, text })
      else rows.push({ kind: 'line', type: 'ctx', oldNumber: oldNumber++, newNumber: newNumber++, text })
    }
  })
  return rows
}

export function splitRows(hunks: Hunk[]): DiffRow[] {
  const rows: DiffRow[] = []
  hunks.forEach((hunk, index) => {
    rows.push({ kind: 'hunk', hunk, index })
    let oldNumber = hunk.oldStart
    let newNumber = hunk.newStart
    let removed: DiffLine[] = []
    let added: DiffLine[] = []
    const flush = (): void => {
      for (let i = 0; i < Math.max(removed.length, added.length); i += 1) rows.push({ kind: 'pair', left: removed[i] ?? null, right: added[i] ?? null })
      removed = []
      added = []
    }
    for (const line of contentLines(hunk)) {
      const text = line.slice(1)
      if (line.startsWith('-')) removed.push({ type: 'del', number: oldNumber++, text })
      else if (line.startsWith('+')) added.push({ type: 'add', number: newNumber++, text })
      else {
        flush()
        rows.push({ kind: 'pair', left: { type: 'ctx', number: oldNumber++, text }, right: { type: 'ctx', number: newNumber++, text } })
      }
    }
    flush()
  })
  return rows
}

export function hunkTitle(hunk: Hunk): string {
  return `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`
}
