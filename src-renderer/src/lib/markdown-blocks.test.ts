import { describe, expect, it } from 'vitest'
import { markdownBlocks } from './markdown-blocks'

describe('markdownBlocks', () => {
  it('splits at blank lines but never inside a code fence', () => {
    const text = ['# Title', '', 'First paragraph', 'continues.', '', '```js', 'const a = 1', '', 'const b = 2', '```', '', '- one', '- two'].join('\n')
    expect(markdownBlocks(text)).toEqual(['# Title', 'First paragraph\ncontinues.', '```js\nconst a = 1\n\nconst b = 2\n```', '- one\n- two'])
  })

  it('keeps an unfinished fence (still streaming) in one block', () => {
    expect(markdownBlocks('Intro\n\n~~~\ncode\n\nmore')).toEqual(['Intro', '~~~\ncode\n\nmore'])
  })
})

describe('liveSegments', () => {
  it('cuts a long growing block at spaces, and keeps every character', async () => {
    const { liveSegments } = await import('./markdown-blocks')
    const text = Array.from({ length: 1200 }, (_, i) => `word${i}`).join(' ')
    const segments = liveSegments(text)
    expect(segments.join('')).toBe(text)
    expect(segments.length).toBeGreaterThan(3)
    expect(segments.slice(0, -1).every((segment) => segment.length <= 2049 && segment.endsWith(' '))).toBe(true)
    expect(liveSegments('short')).toEqual(['short'])
  })
})
