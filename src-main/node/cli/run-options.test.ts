import { describe, expect, it } from 'vitest'
import { parseRunOptions } from './run-options'

describe('parseRunOptions: reasoning', () => {
  it('takes an effort and a summary from the vocabulary', () => {
    const options = parseRunOptions(['--workspace', '/r', '--reasoning-effort', 'xhigh', '--reasoning-summary', 'detailed', 'task'])
    expect([options.reasoningEffort, options.reasoningSummary]).toEqual(['xhigh', 'detailed'])
    const plain = parseRunOptions(['--workspace', '/r', 'task'])
    expect([plain.reasoningEffort, plain.reasoningSummary]).toEqual([null, null])
  })

  it('names the allowed values when given another', () => {
    expect(() => parseRunOptions(['--workspace', '/r', '--reasoning-effort', 'max', 'task'])).toThrow(
      '--reasoning-effort must be one of minimal, low, medium, high, xhigh'
    )
    expect(() => parseRunOptions(['--workspace', '/r', '--reasoning-summary', 'short', 'task'])).toThrow(
      '--reasoning-summary must be one of auto, concise, detailed, none'
    )
  })
})
