import { describe, expect, test } from 'vitest'
import { countLines, modelView } from './model-view'

const limits = { headChars: 20, tailChars: 20, lineChars: 15 }

describe('modelView', () => {
  test('shows short output unchanged', () => {
    expect(modelView({ kind: 'whole', text: 'one\ntwo\n' }, limits, null)).toBe('one\ntwo\n')
  })

  test('keeps head and tail at line boundaries and says what was dropped and where it is', () => {
    const text = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n') + '\n'
    expect(modelView({ kind: 'whole', text }, limits, { path: '/a/c1.txt', truncated: false })).toBe(
      'line 0\nline 1\n[... 120 bytes in 16 lines omitted; the full output is in /a/c1.txt ...]\nline 18\nline 19\n'
    )
  })

  test('works from a head and a ring-buffer tail when the whole text is gone', () => {
    const view = modelView({ kind: 'ends', head: 'first\nsecond\nthird\n', tail: 'x\ny\nthe end\n', totalBytes: 5000, totalLines: 700 }, limits, {
      path: '/a/c2.txt',
      truncated: true
    })
    expect(view).toBe('first\nsecond\nthird\n[... 4,969 bytes in 694 lines omitted; the first part of the output is in /a/c2.txt ...]\nx\ny\nthe end\n')
  })

  test('clamps long lines and points at the full output', () => {
    expect(modelView({ kind: 'whole', text: `short\n${'y'.repeat(30)}\n` }, limits, { path: '/a/c3.txt', truncated: false })).toBe(
      `short\n${'y'.repeat(15)} [... 15 more characters]\n[long lines were shortened; the full output is in /a/c3.txt]`
    )
  })

  test('counts lines with and without a final newline', () => {
    expect([countLines(''), countLines('a'), countLines('a\n'), countLines('a\nb')]).toEqual([0, 1, 1, 2])
  })
})
