// A long run against a sim that models a context window: without compaction it fails, with it
// the run completes - by a summarising request (any provider) or by the server's own compaction -
// and every tool call, the task and the instructions survive it.
import { afterEach, describe, expect, it } from 'vitest'
import type { Scenario } from '../../../sim'
import type { RunRecord } from '../../common/run/records'
import { readRunLog } from '../store/run-log-reader'
import { driverFixture, type DriverFixture } from '../../test-support/driver/driver-fixture'

const CALLS = 12
const WINDOW = 6000
const CHAPTER = 'The ledger keeps every entry the team made this quarter, line by line.\n'.repeat(56)

/** `calls` turns that each read a 4 KB file (about 1,000 sim tokens), then a last message. */
function longScenario(calls: number): Scenario {
  return {
    name: 'long-reads',
    contextWindow: WINDOW,
    turns: [
      ...Array.from({ length: calls }, (_, index) => ({
        output: [
          { type: 'message' as const, text: `Reading chapter ${index + 1}.` },
          { type: 'function_call' as const, name: 'read_file', arguments: { path: `chapter-${(index % CALLS) + 1}.txt`, start_line: null, end_line: null } }
        ]
      })),
      { output: [{ type: 'message', text: 'Read all the chapters.' }] }
    ]
  }
}

const LONG_SCENARIO = longScenario(CALLS)
const FILES = Object.fromEntries(Array.from({ length: CALLS }, (_, index) => [`chapter-${index + 1}.txt`, CHAPTER]))

let fixture: DriverFixture | null = null
afterEach(async () => {
  await fixture?.cleanup()
  fixture = null
})

interface CreateBody {
  type?: string
  instructions?: string
  input?: { type?: string; role?: string; content?: { text?: string }[] }[]
  previous_response_id?: string
  tool_choice?: string
  context_management?: unknown
}

function creates(fixture: DriverFixture): CreateBody[] {
  return fixture.sim.received.flatMap((message) => {
    const body = message.body as CreateBody | undefined
    return body && (body.type === 'response.create' || message.transport === 'http') && Array.isArray(body.input) ? [body] : []
  })
}

async function records(path: string): Promise<RunRecord[]> {
  return (await readRunLog(path)).records
}

describe('compaction in a long run that exceeds the context window', () => {
  it('fails without compaction: the sim really refuses the context', async () => {
    fixture = await driverFixture({ scenario: LONG_SCENARIO }, FILES)
    const driver = await fixture.start('Read every chapter.', { compaction: 'off', contextWindow: WINDOW })
    expect(await driver.run()).toBe('failed')
    await driver.close()
    expect(driver.state.finishReason).toMatch(/^the context does not fit the model's window: Your input exceeds the context window/)
  })

  it.for(['ws', 'sse'] as const)('completes after summarising requests (over %s), keeping the task, the instructions and every call', async (transport) => {
    fixture = await driverFixture({ scenario: LONG_SCENARIO }, FILES)
    const driver = await fixture.start('Read every chapter.', { compaction: 'summary', contextWindow: WINDOW, transport })
    expect(await driver.run()).toBe('completed')
    await driver.close()

    const state = driver.state
    expect(state.compactions.length).toBeGreaterThanOrEqual(2)
    expect(state.compactions.every((compaction) => compaction.method === 'summary' && compaction.tokensBefore! >= WINDOW * 0.8)).toBe(true)
    expect(state.toolCallOrder).toHaveLength(CALLS)
    expect(Object.values(state.toolCalls).map((call) => [call.status, call.output?.startsWith(CHAPTER.slice(0, 200))])).toEqual(Array(CALLS).fill(['ok', true]))
    expect(state.responses.at(-1)?.status).toBe('completed')
    expect(state.errors).toEqual([])

    const sent = creates(fixture)
    const summaries = sent.filter((body) => body.tool_choice === 'none')
    expect(summaries).toHaveLength(state.compactions.length)
    // Every request carries the instructions; every full one starts with the task.
    expect(sent.every((body) => body.instructions === 'You are a test agent.')).toBe(true)
    for (const body of sent.filter((body) => body.previous_response_id === undefined)) {
      expect(body.input?.[0]).toEqual({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Read every chapter.' }] })
    }
    // After each summary the next request is a full one, and it is small again.
    const afterSummary = sent.filter((_, index) => index > 0 && sent[index - 1]?.tool_choice === 'none')
    expect(afterSummary.every((body) => body.previous_response_id === undefined && JSON.stringify(body.input).length < WINDOW * 4 * 0.5)).toBe(true)
    // The log says what was compacted, and replaying it gives the live state.
    const compacted = (await records(driver.logPath)).filter((record) => record.type === 'context.compacted')
    expect(compacted).toHaveLength(state.compactions.length)
    expect(await fixture.reload(driver)).toEqual(state)
  })

  it('completes with the server compacting inside the response, over one WebSocket with previous_response_id', async () => {
    fixture = await driverFixture({ scenario: LONG_SCENARIO }, FILES)
    const driver = await fixture.start('Read every chapter.', { compaction: 'server', contextWindow: WINDOW })
    expect(await driver.run()).toBe('completed')
    await driver.close()

    const state = driver.state
    expect(state.compactions.length).toBeGreaterThanOrEqual(2)
    expect(state.compactions.every((compaction) => compaction.method === 'server')).toBe(true)
    expect(state.toolCallOrder).toHaveLength(CALLS)
    expect(Object.values(state.toolCalls).every((call) => call.status === 'ok')).toBe(true)
    const sent = creates(fixture)
    expect(sent.filter((body) => body.context_management !== undefined)).toHaveLength(state.compactions.length)
    expect(sent.slice(1).every((body) => typeof body.previous_response_id === 'string')).toBe(true)
    expect(fixture.sim.stats().wsHandshakes).toBe(1)
    expect(Object.values(state.items).filter((item) => item.kind === 'other' && item.itemType === 'compaction')).toHaveLength(state.compactions.length)
    expect(await fixture.reload(driver)).toEqual(state)
  })

  it('compacts when the server refuses the context even if the window is unknown to Tether', async () => {
    fixture = await driverFixture({ scenario: LONG_SCENARIO }, FILES)
    const driver = await fixture.start('Read every chapter.', { compaction: 'summary', contextWindow: null })
    expect(await driver.run()).toBe('completed')
    await driver.close()
    expect(driver.state.compactions.length).toBeGreaterThanOrEqual(1)
    expect(driver.state.compactions[0]?.reason).toBe("the server refused the context as longer than the model's window")
    expect(Object.values(driver.state.toolCalls).every((call) => call.status === 'ok')).toBe(true)
  })

  it('keeps every request bounded at ten times the length: the largest request does not grow with the run', async () => {
    const largest: number[] = []
    const compactions: number[] = []
    for (const calls of [CALLS, CALLS * 10]) {
      fixture = await driverFixture({ scenario: longScenario(calls) }, FILES)
      const driver = await fixture.start('Read every chapter.', { compaction: 'summary', contextWindow: WINDOW })
      expect(await driver.run()).toBe('completed')
      await driver.close()
      expect(driver.state.toolCallOrder).toHaveLength(calls)
      largest.push(Math.max(...fixture.sim.received.map((message) => message.bytes)))
      compactions.push(driver.state.compactions.length)
      await fixture.cleanup()
      fixture = null
    }
    // A compaction every few reads, so ten times the reads means about ten times the compactions,
    // while no single request gets bigger than the window allows.
    expect(compactions[1]! / compactions[0]!).toBeGreaterThan(7)
    expect(largest[1]!).toBeLessThan(largest[0]! * 1.25)
  })
})
