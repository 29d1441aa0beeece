import { describe, expect, it } from 'vitest'
import { hunksOf, lineCounts, MAX_EDIT_LENGTH, revertHunk } from './file-hunks'

const BEFORE = Array.from({ length: 30 }, (_, index) => `line ${index + 1}`).join('\n') + '\n'
const AFTER = BEFORE.replace('line 2\n', 'line two\n').replace('line 25\n', 'line 25\nline 25b\n')

describe('file hunks', () => {
  it('splits distant changes into hunks and reverts one of them, leaving the other', () => {
    const hunks = hunksOf(BEFORE, AFTER)
    expect(hunks.map(({ oldStart, oldLines, newStart, newLines }) => ({ oldStart, oldLines, newStart, newLines }))).toEqual([
      { oldStart: 1, oldLines: 5, newStart: 1, newLines: 5 },
      { oldStart: 23, oldLines: 6, newStart: 23, newLines: 7 }
    ])
    expect(lineCounts(hunks)).toEqual({ additions: 2, deletions: 1 })
    expect(revertHunk(BEFORE, AFTER, hunks[1]!)).toBe(BEFORE.replace('line 2\n', 'line two\n'))
    expect(revertHunk(BEFORE, AFTER, hunks[0]!)).toBe(BEFORE.replace('line 25\n', 'line 25\nline 25b\n'))
  })

  it('refuses a hunk that is not there, and keeps a missing final newline exact', () => {
    expect(revertHunk(BEFORE, AFTER, { oldStart: 3, oldLines: 1, newStart: 3, newLines: 1 })).toBeNull()
    expect(revertHunk('a\nb', 'a\nc', hunksOf('a\nb', 'a\nc')[0]!)).toBe('a\nb')
    expect(revertHunk('', 'new\n', hunksOf('', 'new\n')[0]!)).toBe('')
  })
})

describe('hunks of files rewritten from top to bottom', () => {
  const lines = (count: number, prefix: string): string => Array.from({ length: count }, (_, index) => `${prefix}${index % 10}`).join('\n')

  it('are one hunk, found without diffing line by line (which would take hours), and revert to the old text', () => {
    const before = `${lines(60_000, 'a')}\n`
    const after = `${lines(60_000, 'b')}\n`
    const hunks = hunksOf(before, after)
    expect(hunks.map(({ oldStart, oldLines, newStart, newLines }) => ({ oldStart, oldLines, newStart, newLines }))).toEqual([{ oldStart: 1, oldLines: 60_000, newStart: 1, newLines: 60_000 }])
    expect(lineCounts(hunks)).toEqual({ additions: 60_000, deletions: 60_000 })
    expect(revertHunk(before, after, hunks[0]!)).toBe(before)
  }, 60_000)

  it('keep a missing final newline on either side', () => {
    const before = lines(3000, 'a')
    const after = `${lines(3000, 'b')}\n`
    const [hunk] = hunksOf(before, after)
    expect({ last: hunk!.lines.slice(2999, 3001), oldLines: hunk!.oldLines, newLines: hunk!.newLines }).toEqual({ last: ['-a9', '\\ No newline at end of file'], oldLines: 3000, newLines: 3000 })
    expect(revertHunk(before, after, hunk!)).toBe(before)
  })

  it('stay line by line up to the edit bound', () => {
    const before = `${lines(MAX_EDIT_LENGTH, 'a')}\n`
    const after = before.replace('a5\n', 'changed\n')
    expect(hunksOf(before, after).map((hunk) => hunk.lines.length)).toEqual([8])
  })
})
