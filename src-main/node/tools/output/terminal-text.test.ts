import { describe, expect, test } from 'vitest'
import { TerminalText, terminalToText } from './terminal-text'

describe('TerminalText', () => {
  test('removes colours, cursor moves, titles and keeps the text', () => {
    expect(terminalToText('\x1b[1;31mred\x1b[0m plain\r\n\x1b]0;title\x07next\x1b[2K\x1b(B line\r\n')).toBe('red plain\nnext line\n')
  })

  test('a bare carriage return overwrites the line like a terminal does', () => {
    expect(terminalToText('progress 10%\rprogress 50%\rprogress 100%\r\ndone\n')).toBe('progress 100%\ndone\n')
  })

  test('handles sequences and line endings split across chunks', () => {
    const text = new TerminalText()
    const pieces = ['a\x1b', '[3', '1mb\r', '\nc\x1b]8;;http://x\x1b', '\\d\r', 'e\n']
    expect(pieces.map((piece) => text.push(piece)).join('') + text.end()).toBe('ab\ne\n')
  })

  test('drops other control characters but keeps tabs', () => {
    expect(terminalToText('a\tb\x07c\x08d\x00\n')).toBe('a\tbcd\n')
  })

  test('emits a very long line without waiting for its end', () => {
    const text = new TerminalText()
    const out = text.push('x'.repeat(70 * 1024))
    expect(out.length).toBe(70 * 1024)
    expect(text.end()).toBe('')
  })
})
