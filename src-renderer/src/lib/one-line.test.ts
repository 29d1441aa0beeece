import { describe, expect, it } from 'vitest'
import { oneLine } from './one-line'

describe('oneLine', () => {
  it('folds whitespace, drops control and direction characters, and cuts at the limit', () => {
    expect(oneLine('  Fix\nthe\ttests\u202e now\u0007 ', 100)).toBe('Fix the tests now')
    expect(oneLine('a'.repeat(20), 10)).toBe(`${'a'.repeat(9)}…`)
    expect(oneLine('short', 5)).toBe('short')
  })
})
