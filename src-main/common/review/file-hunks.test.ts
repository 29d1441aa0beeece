import { describe, expect, it } from 'vitest'
import { hunksOf, lineCounts, revertHunk } from './file-hunks'

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
