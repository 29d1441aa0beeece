import { describe, expect, it } from 'vitest'
import { loadBashParser } from './bash-parser'

describe('the bash parser', () => {
  it('gives a command run again the tree it built the first time', async () => {
    const parser = await loadBashParser()
    const first = parser.parse('node --test test/money.test.js && git status --short')
    expect(parser.parse('node --test test/money.test.js && git status --short')).toBe(first)
    expect(first.hasError).toBe(false)
    expect(first.root.children.map((child) => child.type)).toEqual(['list'])
    expect(first.root.children[0]!.children.map((child) => child.text)).toEqual(['node --test test/money.test.js', '&&', 'git status --short'])
  })

  it('keeps the 256 most recently used trees and builds the same tree again once one is dropped', async () => {
    const parser = await loadBashParser()
    const kept = parser.parse('ls -la src')
    for (let index = 0; index < 255; index++) parser.parse(`echo filler-${index}`)
    expect(parser.parse('ls -la src')).toBe(kept)
    for (let index = 0; index < 256; index++) parser.parse(`echo other-${index}`)
    const rebuilt = parser.parse('ls -la src')
    expect(rebuilt).not.toBe(kept)
    expect(rebuilt).toEqual(kept)
  })

  it('does not keep long texts', async () => {
    const parser = await loadBashParser()
    const heredoc = `cat > notes.md <<'EOF'\n${'a line of notes\n'.repeat(400)}EOF`
    const first = parser.parse(heredoc)
    const second = parser.parse(heredoc)
    expect(second).not.toBe(first)
    expect(second).toEqual(first)
  })
})
