import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APPROVAL_MODE_INFO, APPROVAL_MODES, DEFAULT_APPROVAL_MODE } from '../../common/run/approval-modes'
import { PROVIDER_NAMES, PROVIDERS } from '../../common/providers/providers'
import { parseRunOptions, RUN_HELP } from './run-options'

describe('the flags of tether run', () => {
  it('keep only the settings the person gave, so a resume changes only those', () => {
    expect(parseRunOptions(['--resume', 'run_1']).settings).toEqual({})
    expect(parseRunOptions(['--resume', 'run_1', '--approval', 'read-only', '--allow-network', 'a.example, b.example', '--store', '--transport', 'sse', '--model', 'm2']).settings).toEqual({
      approvalMode: 'read-only',
      networkAllowlist: ['a.example', 'b.example'],
      store: true,
      transport: 'sse',
      model: 'm2'
    })
    expect(parseRunOptions(['--resume', 'run_1', '--allow-network', '']).settings).toEqual({ networkAllowlist: [] })
  })

  it('refuse a mode or transport that does not exist, naming the ones that do', () => {
    expect(() => parseRunOptions(['--workspace', '.', '--approval', 'yolo', 'task'])).toThrow(`--approval must be one of ${APPROVAL_MODES.join(', ')}`)
    expect(() => parseRunOptions(['--workspace', '.', '--transport', 'carrier-pigeon', 'task'])).toThrow("--transport must be ws or sse, got 'carrier-pigeon'")
  })

  it('list every approval mode in --help with what it does, from the one list', () => {
    for (const mode of APPROVAL_MODES) expect(RUN_HELP).toContain(`${mode.padEnd(16)} ${APPROVAL_MODE_INFO[mode].summary}`)
    expect(RUN_HELP).toContain(`(default ${DEFAULT_APPROVAL_MODE})`)
  })

  it('name each provider with its key and default model in --help, from the providers table', () => {
    for (const name of PROVIDER_NAMES.filter((provider) => PROVIDERS[provider].baseUrl !== null)) {
      expect(RUN_HELP).toContain(`${name} (${PROVIDERS[name].keyVariable}`)
      expect(RUN_HELP).toContain(`${PROVIDERS[name].defaultModel} for ${PROVIDERS[name].label}`)
    }
    expect(RUN_HELP).toContain(`key from ${PROVIDERS.custom.keyVariable}`)
  })

  it('match the README, whose table of modes lists the same modes in the same order', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8')
    const header = readme.split('\n').find((line) => line.startsWith('| |') && line.includes(DEFAULT_APPROVAL_MODE))
    const columns = header?.split('|').map((cell) => cell.trim()).filter((cell) => cell.length > 0)
    expect(columns).toEqual(APPROVAL_MODES.map((mode) => (mode === DEFAULT_APPROVAL_MODE ? `${mode} (default)` : mode)))
  })
})

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
