import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { foldRecords } from '../../common/run/reduce'
import { parseReplaySource } from '../store/replay-source'
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
})
