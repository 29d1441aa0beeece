import { describe, expect, it } from 'vitest'
import { hunksOf } from '../../../src-main/common/review/file-hunks'
import { splitRows, unifiedRows } from './diff-rows'

describe('diff rows', () => {
  const hunks = hunksOf('a\nb\nc\n', 'a\nB\nB2\nc')
  it('numbers unified lines on both sides and skips the no-newline marker', () => {
    expect(unifiedRows(hunks).slice(1)).toEqual([
      { kind: 'line', type: 'ctx', oldNumber: 1, newNumber: 1, text: 'a' },
      { kind: 'line', type: 'del', oldNumber: 2, newNumber: null, text: 'b' },
      { kind: 'line', type: 'del', oldNumber: 3, newNumber: null, text: 'c' },
      { kind: 'line', type: 'add', oldNumber: null, newNumber: 2, text: 'B' },
      { kind: 'line', type: 'add', oldNumber: null, newNumber: 3, text: 'B2' },
      { kind: 'line', type: 'add', oldNumber: null, newNumber: 4, text: 'c' }
    ])
  })
  it('pairs removed and added lines side by side', () => {
    expect(splitRows(hunks).slice(1)).toEqual([
      { kind: 'pair', left: { type: 'ctx', number: 1, text: 'a' }, right: { type: 'ctx', number: 1, text: 'a' } },
      { kind: 'pair', left: { type: 'del', number: 2, text: 'b' }, right: { type: 'add', number: 2, text: 'B' } },
      { kind: 'pair', left: { type: 'del', number: 3, text: 'c' }, right: { type: 'add', number: 3, text: 'B2' } },
      { kind: 'pair', left: null, right: { type: 'add', number: 4, text: 'c' } }
    ])
  })
})
