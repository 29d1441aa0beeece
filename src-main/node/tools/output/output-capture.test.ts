import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { removeScratch, scratchDir } from '../../../test-support/tools/scratch'
import { OutputCapture } from './output-capture'
import { RingBuffer } from './ring-buffer'

const root = scratchDir('capture')
afterAll(() => removeScratch(root))

const limits = { ringChars: 1000, artifactBytes: 5000, view: { headChars: 100, tailChars: 100, lineChars: 80 } }

describe('RingBuffer', () => {
  test('keeps only the last characters', () => {
    const ring = new RingBuffer(10)
    for (const chunk of ['abc', 'defgh', 'ijklmnop', 'q']) ring.push(chunk)
    expect(ring.contents()).toBe('hijklmnopq')
    ring.push('z'.repeat(25))
    expect(ring.contents()).toBe('z'.repeat(10))
  })
})

describe('OutputCapture', () => {
  test('small output: plain text, no artifact', () => {
    const path = join(root, 'small.txt')
    const capture = new OutputCapture(path, limits)
    capture.writeTerminal('\x1b[32mok\x1b[0m\r\nsecond line')
    expect(capture.finish()).toEqual({ view: 'ok\nsecond line', artifactPath: null, totalBytes: 14, totalLines: 2 })
    expect(existsSync(path)).toBe(false)
  })

  test('large output: head, tail, counts, and the full text in the artifact', () => {
    const path = join(root, 'large.txt')
    const capture = new OutputCapture(path, limits)
    const lines = Array.from({ length: 300 }, (_, i) => `line ${String(i).padStart(3, '0')}`)
    for (const line of lines) capture.writeTerminal(`${line}\r\n`)
    const result = capture.finish()
    expect(result.artifactPath).toBe(path)
    expect(result.totalLines).toBe(300)
    expect(result.totalBytes).toBe(2700)
    expect(readFileSync(path, 'utf8')).toBe(lines.map((line) => `${line}\n`).join(''))
    expect(result.view.startsWith('line 000\nline 001\n')).toBe(true)
    expect(result.view.endsWith('line 298\nline 299\n')).toBe(true)
    expect(result.view).toContain(`lines omitted; the full output is in ${path} ...]`)
  })

  test('the artifact stops at its cap and says so; memory stays bounded by the ring', () => {
    const path = join(root, 'capped.txt')
    const capture = new OutputCapture(path, limits)
    for (let i = 0; i < 1000; i++) capture.writeTerminal(`${'z'.repeat(19)}\n`)
    const result = capture.finish()
    expect(result.totalBytes).toBe(20_000)
    expect(readFileSync(path).length).toBe(5000)
    expect(result.view).toContain(`the first part of the output is in ${path}`)
  })

  test('an output that only needed its long lines shortened still gets an artifact', () => {
    const path = join(root, 'wide.txt')
    const capture = new OutputCapture(path, limits)
    capture.writeTerminal(`${'w'.repeat(150)}\n`)
    const result = capture.finish()
    expect(result.artifactPath).toBe(path)
    expect(readFileSync(path, 'utf8')).toBe(`${'w'.repeat(150)}\n`)
  })
})
