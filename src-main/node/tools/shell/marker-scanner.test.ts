import { describe, expect, test } from 'vitest'
import { MarkerScanner } from './marker-scanner'

const PREFIX = '\x1b]633;tether;done;abc;'

describe('MarkerScanner', () => {
  test('finds the marker and splits the output around it', () => {
    expect(new MarkerScanner(PREFIX).push(`hello\r\n${PREFIX}0\x07after`)).toEqual({ found: true, passed: 'hello\r\n', payload: '0', after: 'after' })
  })

  test('holds back a possible start of the marker until the next chunk decides', () => {
    const scanner = new MarkerScanner(PREFIX)
    expect(scanner.push('out\x1b]63')).toEqual({ found: false, passed: 'out' })
    expect(scanner.push('3;tether;done;abc;12')).toEqual({ found: false, passed: '' })
    expect(scanner.push('7\x07')).toEqual({ found: true, passed: '', payload: '127', after: '' })
  })

  test('passes on look-alikes and markers with another token', () => {
    const scanner = new MarkerScanner(PREFIX)
    expect(scanner.push('\x1b]633;tether;done;xyz;0\x07')).toEqual({ found: false, passed: '\x1b]633;tether;done;xyz;0\x07' })
    expect(scanner.push('\x1b]0;title\x07')).toEqual({ found: false, passed: '\x1b]0;title\x07' })
    expect(scanner.flush()).toBe('')
  })
})
