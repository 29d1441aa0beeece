import { describe, expect, it } from 'vitest'
import { escapeForDisplay, escapeForTerminal, escapePath, hasPadding, HIDDEN_CHARACTER, hiddenCharactersIn, terminalSafeOutput, withoutHiddenCharacters } from './display-text'

describe('escapeForDisplay', () => {
  it('writes control, bidi, zero-width, tag and look-alike space characters as escapes', () => {
    expect(escapeForDisplay('ls \u001b[2J\r\u007f\u009b\u00a0\u202e\u2066\u200b\u200d\ufeff\u{e0041}\u3000')).toBe(
      'ls \\x1b[2J\\x0d\\x7f\\x9b\\xa0\\u202e\\u2066\\u200b\\u200d\\ufeff\\u{e0041}\\u3000'
    )
  })

  it('keeps ordinary text, tabs, newlines, backslashes and other scripts as they are', () => {
    const text = "git log --format='%h\\t%s'\n\tcat README.md | grep 'naïve 日本語 émoji 🙂'"
    expect(escapeForDisplay(text)).toBe(text)
  })

  it('escapes lone surrogates but keeps pairs', () => {
    expect(escapeForDisplay('a\ud800b\udc00c\ud83d\ude42')).toBe('a\\ud800b\\udc00c\ud83d\ude42')
  })

  it('shows long runs of blanks and blank lines by their length', () => {
    expect(escapeForDisplay(`ls${' '.repeat(400)}; rm -rf .git`)).toBe('ls<400 blanks>; rm -rf .git')
    expect(escapeForDisplay(`ls${'\n'.repeat(40)}rm -rf .git`)).toBe('ls\n<40 blank lines>\nrm -rf .git')
    expect(hasPadding(`a${' '.repeat(23)}b`)).toBe(false)
    expect(hasPadding(`a${' '.repeat(24)}b`)).toBe(true)
  })

  it('leaves no hidden character in anything it returns, whatever the input', () => {
    const everything: string[] = []
    for (let code = 0; code <= 0x3400; code += 1) everything.push(String.fromCharCode(code))
    for (let code = 0xfe00; code <= 0xffff; code += 1) everything.push(String.fromCharCode(code))
    for (let code = 0xe0000; code <= 0xe0fff; code += 1) everything.push(String.fromCodePoint(code))
    const shown = escapeForDisplay(everything.join(''))
    expect(HIDDEN_CHARACTER.test(shown)).toBe(false)
    expect(shown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/)
  })

  it('lists each hidden character once and can remove them', () => {
    expect(hiddenCharactersIn('a\u202eb\u202ec\u001b')).toEqual(['\\u202e', '\\x1b'])
    expect(withoutHiddenCharacters('r\u200bm -rf\u00a0.git')).toBe('rm -rf.git')
  })
})

describe('escapeForTerminal and terminalSafeOutput', () => {
  it('escapes escape sequences, C1 controls and bidi marks, and keeps newlines, tabs and blank runs', () => {
    expect(escapeForTerminal(`a\x1b]52;c;eA==\x07\tb\n${' '.repeat(30)}\x9b2J\u202ec\r`)).toBe(`a\\x1b]52;c;eA==\\x07\tb\n${' '.repeat(30)}\\x9b2J\\u202ec\\x0d`)
  })

  it('drops the colours of tool output and escapes every other sequence', () => {
    expect(terminalSafeOutput('\x1b[1;31mred\x1b[0m \x1b[2Jclear')).toBe('red \\x1b[2Jclear')
  })
})

describe('escapePath', () => {
  it('keeps a file name on one line and shows every byte that is not UTF-8', () => {
    expect(escapePath('src/main.ts')).toBe('src/main.ts')
    expect(escapePath('two\nlines\tand\\x1b \x1b[2J\u202eevil.js\udcff')).toBe('two\\nlines\\tand\\\\x1b \\x1b[2J\\u202eevil.js\\xff')
  })

  it('gives different names different escapes', () => {
    const names = ['\x1b', '\\x1b', '\\\x1b', '\n', '\\n', '\udcff', '\\xff', 'ÿ']
    expect(new Set(names.map(escapePath)).size).toBe(names.length)
  })
})
