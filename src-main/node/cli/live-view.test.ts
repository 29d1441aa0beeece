import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { foldRecords } from '../../common/run/reduce'
import { parseReplaySource } from '../store/replay-source'
import { HOSTILE_TEXT, poisoned, TERMINAL_CONTROL } from '../../test-support/cli/hostile-text'
import { stamp } from '../../test-support/run-records'
import { sampleRun } from '../../test-support/sample-run'
import { LiveView, PLAIN_STYLE } from './live-view'

const RECORDED = join(import.meta.dirname, '..', '..', '..', 'sim', 'recorded')

function shown(file: string): string {
  const records = parseReplaySource(readFileSync(join(RECORDED, file))).records
  let text = ''
  const view = new LiveView((chunk) => (text += chunk), PLAIN_STYLE)
  const state = foldRecords(records)
  for (const record of records) view.show(record, state)
  return text
}

describe('LiveView on real streams', () => {
  it('prints raw reasoning and what hosted tools did, as lines of their own', () => {
    expect(shown('lmstudio-tool-call.jsonl')).toMatch(/^\(thinking\) \S/m)
    expect(shown('openai-web-search-tool.jsonl')).toMatch(/^· web_search_call: searched the web: \S/m)
  })

  it('prints a scheduled retry with the wait', () => {
    let text = ''
    new LiveView((chunk) => (text += chunk), PLAIN_STYLE).show(
      { v: 1, seq: 3, ts: 0, type: 'retry.scheduled', turn: 1, errorClass: 'rate_limit', code: 'rate_limit_exceeded', message: 'Slow down.', delayMs: 2500, serverDelay: true, attempt: 1, maxAttempts: 6 },
      foldRecords([])
    )
    expect(text).toBe('⟳ rate limited, retrying in 3 s (1/6): Slow down.\n')
  })

  it('escapes control, escape and bidi characters in text deltas, thinking, tool output and server messages', () => {
    const records = stamp(poisoned(sampleRun()))
    const state = foldRecords(records)
    let text = ''
    const view = new LiveView((chunk) => (text += chunk), PLAIN_STYLE)
    for (const record of records) view.show(record, state)
    expect(TERMINAL_CONTROL.exec(text)?.[0] ?? null).toBe(null)
    expect(text).toContain('All 12\\x1b]52;c;ZXZpbA==\\x07')
    expect(text).toContain('ok 12 tests\\x1b]52')
  })

  it('shows the names of changed files and checkpoint notes escaped: a file name can be an escape sequence', () => {
    let text = ''
    const name = `${HOSTILE_TEXT}\nfake line`
    new LiveView((chunk) => (text += chunk), PLAIN_STYLE).show(
      { v: 1, seq: 3, ts: 0, type: 'checkpoint.saved', callId: 'c', phase: 'after', kept: true, changed: [name], changedCount: 1, notes: [`${name}: not kept`] },
      foldRecords([])
    )
    expect(TERMINAL_CONTROL.exec(text)?.[0] ?? null).toBe(null)
    expect(text.split('\n').length).toBe(3)
    expect(text).toContain('changed 1 path: \\x1b]52;c;ZXZpbA==\\x07')
  })

  it('drops the colours of tool output and escapes its other sequences', () => {
    let text = ''
    new LiveView((chunk) => (text += chunk), PLAIN_STYLE).show(
      { v: 1, seq: 3, ts: 0, type: 'tool.finished', callId: 'c', status: 'ok', exitCode: 0, output: '\x1b[1;31mred\x1b[0m \x1b]8;;http://x\x07link', durationMs: 0, artifactPath: null },
      foldRecords([])
    )
    expect(text).toBe('  ✓ ok exit 0 (0.0s)\n    red \\x1b]8;;http://x\\x07link\n')
  })
})
