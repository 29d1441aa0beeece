import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { foldRecords } from '../../common/run/reduce'
import { parseReplaySource } from '../store/replay-source'
import { renderTranscript } from './render-transcript'

const RECORDED = join(import.meta.dirname, '..', '..', '..', 'sim', 'recorded')
const transcriptOf = (file: string): string => renderTranscript(foldRecords(parseReplaySource(readFileSync(join(RECORDED, file))).records))

describe('renderTranscript on real streams', () => {
  it('shows raw reasoning text, hosted tools with what they did, and the phase of a message', () => {
    expect(transcriptOf('lmstudio-tool-call.jsonl')).toMatch(/^reasoning text:\n {2}\S/m)
    expect(transcriptOf('openai-web-search-tool.jsonl')).toMatch(/^web_search_call: searched the web: \S/m)
    const phased = transcriptOf('openai-phase.jsonl')
    expect([/^assistant \(commentary\):$/m.test(phased), /^assistant \(final answer\):$/m.test(phased)]).toEqual([true, true])
  })
})
