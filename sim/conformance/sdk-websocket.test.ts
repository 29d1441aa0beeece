import OpenAI from 'openai'
import { ResponsesWS } from 'openai/resources/responses/ws'
import type { ResponseFunctionToolCall, ResponseInputItem, ResponsesServerEvent } from 'openai/resources/responses/responses'
import { afterEach, describe, expect, it } from 'vitest'
import { startSim, type SimServer } from '../index'
import { fakeToolOutput, TOOL_LOOP, TOOL_LOOP_TOOLS } from '../test-support/tool-loop-scenario'

let sim: SimServer | null = null
afterEach(async () => {
  await sim?.stop()
  sim = null
})

type Terminal = Extract<ResponsesServerEvent, { type: 'response.completed' | 'response.failed' | 'response.incomplete' }>

/** Collects events until the next terminal event or error, over the SDK's own event API. */
function nextTurn(ws: ResponsesWS): Promise<{ events: ResponsesServerEvent[]; terminal: Terminal }> {
  return new Promise((resolve, reject) => {
    const events: ResponsesServerEvent[] = []
    const onEvent = (event: ResponsesServerEvent): void => {
      events.push(event)
      if (event.type === 'response.completed' || event.type === 'response.failed' || event.type === 'response.incomplete') {
        cleanup()
        resolve({ events, terminal: event })
      }
    }
    const onError = (error: Error): void => {
      cleanup()
      reject(error)
    }
    const cleanup = (): void => {
      ws.off('event', onEvent)
      ws.off('error', onError)
    }
    ws.on('event', onEvent)
    ws.on('error', onError)
  })
}

describe('openai SDK ResponsesWS against the sim', () => {
  it('runs a full function-calling loop with previous_response_id and incremental input', async () => {
    sim = await startSim({ scenario: TOOL_LOOP })
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: sim.baseUrl })
    const ws = new ResponsesWS(client)
    const common = { model: 'gpt-5.2', store: false, tools: TOOL_LOOP_TOOLS as never, include: ['reasoning.encrypted_content' as const] }
    let input: ResponseInputItem[] = [{ role: 'user', content: 'Check the project.' }]
    let previous: string | undefined
    const calls: ResponseFunctionToolCall[] = []
    let finalText = ''
    for (let turn = 0; turn < 5; turn++) {
      const pending = nextTurn(ws)
      ws.send({ type: 'response.create', ...common, input, ...(previous ? { previous_response_id: previous } : {}) })
      const { events, terminal } = await pending
      expect(terminal.type).toBe('response.completed')
      expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index))
      const turnCalls = terminal.response.output.filter((item): item is ResponseFunctionToolCall => item.type === 'function_call')
      calls.push(...turnCalls)
      previous = terminal.response.id
      if (turnCalls.length === 0) {
        finalText = terminal.response.output.flatMap((item) => (item.type === 'message' ? item.content : [])).map((part) => (part.type === 'output_text' ? part.text : '')).join('')
        break
      }
      input = turnCalls.map((call) => ({ type: 'function_call_output', call_id: call.call_id, output: fakeToolOutput(call.name, call.arguments) }))
    }
    ws.close()
    expect(finalText).toBe('All tests pass; nothing needed fixing.')
    expect(calls.map((call) => [call.name, JSON.parse(call.arguments)])).toEqual([
      ['read_file', { path: 'package.json', start_line: null, end_line: null }],
      ['list_dir', { path: 'src' }],
      ['shell', { command: 'node --test', timeout_ms: null }]
    ])
    expect(new Set(calls.map((call) => call.call_id)).size).toBe(3)
    const creates = sim.received.map((message) => message.body as { previous_response_id?: string; input: unknown[] })
    expect(creates.map((body) => [body.previous_response_id !== undefined, body.input.length])).toEqual([
      [false, 1],
      [true, 2],
      [true, 1]
    ])
    expect(sim.stats()).toMatchObject({ wsHandshakes: 1, wsConnections: 1, responses: 3 })
  })
})
