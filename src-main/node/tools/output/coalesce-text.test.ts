import { describe, expect, it } from 'vitest'
import { coalesceText } from './coalesce-text'

describe('coalesceText', () => {
  it('passes pieces on together after the window, at once past the size limit, and what is left on flush', async () => {
    const passed: string[] = []
    const text = coalesceText((piece) => passed.push(piece), { windowMs: 5, maxChars: 10 })
    text.push('ab')
    text.push('cd')
    expect(passed).toEqual([])
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(passed).toEqual(['abcd'])
    text.push('0123456789x')
    expect(passed).toEqual(['abcd', '0123456789x'])
    text.push('tail')
    text.flush()
    text.flush()
    expect(passed).toEqual(['abcd', '0123456789x', 'tail'])
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(passed).toHaveLength(3)
  })
})
