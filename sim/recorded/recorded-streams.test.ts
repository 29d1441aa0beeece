// Every recorded real stream (see README.md) replays to what a person reading it would expect:
// the items of each terminal response's `output`, in order, with their text, reasoning and calls,
// hosted-tool items by type with a readable summary, the statuses, and the usage summed once.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { foldRecords } from '../../src-main/common/run/reduce'
import { summarize, type SummaryItem } from '../../src-main/common/run/summary'
import { parseReplaySource } from '../../src-main/node/store/replay-source'

const FOLDER = import.meta.dirname
const FILES = readdirSync(FOLDER).filter((name) => name.endsWith('.jsonl')).sort()

type Json = Record<string, unknown>
const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed'])

function eventsOf(file: string): Json[] {
  return readFileSync(join(FOLDER, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as Json)
}

function texts(parts: unknown, type: string): string[] {
  return Array.isArray(parts) ? (parts as Json[]).filter((part) => part.type === type).map((part) => String(part.text ?? part.refusal)) : []
}

/** What the terminal `output` arrays say, read without any of Tether's code. */
function expectedOutput(events: Json[]): Array<SummaryItem | { type: string }> {
  return events
    .filter((event) => TERMINAL.has(event.type as string))
    .flatMap((event) => ((event.response as Json).output as Json[] | undefined) ?? [])
    .map((item) => {
      switch (item.type) {
        case 'message': {
          const refusals = texts(item.content, 'refusal')
          return { type: 'message', text: texts(item.content, 'output_text').join(''), refusal: refusals.length ? refusals.join('') : null, phase: (item.phase as string) ?? null }
        }
        case 'reasoning':
          return { type: 'reasoning', summary: texts(item.summary, 'summary_text'), text: texts(item.content, 'reasoning_text') }
        case 'function_call':
          return { type: 'function_call', callId: item.call_id as string, name: item.name as string, arguments: item.arguments as string }
        default:
          return { type: item.type as string }
      }
    })
}

function usageOf(events: Json[]): number {
  return events.filter((event) => TERMINAL.has(event.type as string)).reduce((sum, event) => sum + (((event.response as Json).usage as Json | undefined)?.total_tokens as number ?? 0), 0)
}

/** Jumps in `sequence_number` within each response, as the file has them. */
function gapsOf(events: Json[]): { responseIndex: number; expected: number; received: number }[] {
  const gaps: { responseIndex: number; expected: number; received: number }[] = []
  let responseIndex = -1
  let last: number | null = null
  for (const event of events) {
    if (event.type === 'response.created') {
      responseIndex += 1
      last = null
    }
    const seq = event.sequence_number
    if (typeof seq !== 'number') continue
    if (last !== null && seq > last + 1) gaps.push({ responseIndex, expected: last + 1, received: seq })
    last = seq
  }
  return gaps
}

function replay(file: string) {
  const source = parseReplaySource(readFileSync(join(FOLDER, file)))
  return { source, state: foldRecords(source.records) }
}

describe('recorded real streams', () => {
  it('has the files its README lists, and the README lists every file', () => {
    const readme = readFileSync(join(FOLDER, 'README.md'), 'utf8')
    const listed = [...readme.matchAll(/^\| `([^`]+\.jsonl)` \| `([^`]+)`/gm)].map((match) => match[1])
    expect(listed.sort()).toEqual(FILES)
  })

  it.each(FILES)('%s replays to its terminal output', (file) => {
    const events = eventsOf(file)
    const { source, state } = replay(file)
    const summary = summarize(state)
    expect(source.problems).toEqual([])
    const terminals = events.filter((event) => TERMINAL.has(event.type as string))
    expect(summary.responses.map((response) => response.status)).toEqual(terminals.map((event) => (event.response as Json).status))
    expect(summary.output.map((item) => ('summary' in item && !('text' in item) ? { type: item.type } : item))).toEqual(expectedOutput(events))
    for (const item of summary.output) {
      if ('summary' in item && !('text' in item)) expect(item.summary, `${file}: ${item.type}`).not.toMatch(/^(no details)?$/)
    }
    expect(state.usage?.total_tokens ?? 0).toBe(usageOf(events))
    // Some fixtures were trimmed of delta events; a gap is reported where the file has one, and nowhere else.
    expect({ duplicates: state.duplicates, gaps: state.gaps }).toEqual({ duplicates: 0, gaps: gapsOf(events) })
  })
})

describe('what each recording is there for', () => {
  it('keeps phase and places a skipped output_index once (openai-phase)', () => {
    const { state } = replay('openai-phase.jsonl')
    const summary = summarize(state)
    expect(summary.output.map((item) => (item.type === 'message' ? (item as { phase: string | null }).phase : item.type))).toEqual(['commentary', 'final_answer'])
    expect(state.responses[0]!.itemKeys.filter((key) => key !== '').length).toBe(2)
  })

  it('folds rotating response and item ids into one response (GitHub Copilot)', () => {
    const events = eventsOf('compatible-github-copilot-id-rotation.jsonl')
    const { state } = replay('compatible-github-copilot-id-rotation.jsonl')
    const last = events.filter((event) => TERMINAL.has(event.type as string)).at(-1)!.response as Json
    expect({ responses: state.responses.length, id: state.responses[0]!.id, items: Object.keys(state.items).length }).toEqual({ responses: 1, id: last.id, items: 2 })
  })

  it('reports one failure once when error comes before response.failed (openai-error)', () => {
    const { state } = replay('openai-error.jsonl')
    const summary = summarize(state)
    expect({ status: summary.status, errors: summary.errors.map((error) => error.code), usage: summary.usage?.total_tokens ?? 0 }).toEqual({
      status: 'failed',
      errors: ['insufficient_quota'],
      usage: usageOf(eventsOf('openai-error.jsonl'))
    })
  })

  it('shows raw reasoning_text as the reasoning of the item (LM Studio)', () => {
    const reasoning = summarize(replay('lmstudio-tool-call.jsonl').state).output.find((item) => item.type === 'reasoning') as { text: string[] }
    expect(reasoning.text.join('').length).toBeGreaterThan(20)
  })

  it('names what hosted tools did', () => {
    const summaries = (file: string) => summarize(replay(file).state).output.flatMap((item) => ('summary' in item && !('text' in item) ? [`${item.type}: ${item.summary}`] : []))
    expect(summaries('openai-web-search-tool.jsonl')[0]).toMatch(/^web_search_call: searched the web: .+/)
    expect(summaries('openai-mcp-call.jsonl')).toEqual([expect.stringMatching(/^mcp_list_tools: listed \d+ tools? of /), expect.stringMatching(/^mcp_call: called .+\(.*\)/)])
    expect(summaries('openai-code-interpreter-tool.jsonl')[0]).toMatch(/^code_interpreter_call: ran code: .+/)
  })
})
