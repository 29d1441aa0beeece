import { describe, expect, it } from 'vitest'
import { lineHighlighter, MAX_COLOURED_LINE } from './diff-highlight'

describe('diff line colouring', () => {
  it('colours ordinary lines and leaves a line too long to colour to be shown as text', async () => {
    const colour = await lineHighlighter('src/a.ts')
    expect(colour!('const a = 1')).toContain('<span class="hljs-keyword">const</span>')
    expect(colour!(`const a = "${'x'.repeat(MAX_COLOURED_LINE)}"`)).toBeNull()
    expect(await lineHighlighter('data.unknown-extension')).toBeNull()
  })
})
