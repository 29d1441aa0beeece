import OpenAI from 'openai'
import type { ResponseInputItem } from 'openai/resources/responses/responses'
import { ResponsesWS } from 'openai/resources/responses/ws'
import { afterEach, describe, expect, it } from 'vitest'
import { startSim, type SimServer } from '../index'
import { callShapes, functionCalls, nextTurn, outputText } from '../test-support/sdk-turns'
import { fakeToolOutput, TOOL_LOOP, TOOL_LOOP_TOOLS } from '../test-support/tool-loop-scenario'

let sim: SimServer | null = null
const sockets: ResponsesWS[] = []
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.close()
  await sim?.stop()
  sim = null
})

const COMMON = { model: 'gpt-5.2', store: false, tools: TOOL_LOOP_TOOLS as never, include: ['reasoning.encrypted_content' as const] }

async function connect(): Promise<ResponsesWS> {
  sim ??= await startSim({ scenario: TOOL_LOOP })
  const ws = new ResponsesWS(new OpenAI({ apiKey: 'sk-test', baseURL: sim.baseUrl }))
  sockets.push(ws)
  return ws
}

describe('openai SDK ResponsesWS against the sim', () => {
  it('runs a full function-calling loop with previous_response_id and incremental input', async () => {
    const ws = await connect()
    let input: ResponseInputItem[] = [{ role: 'user', content: 'Check the project.' }]
    let previous: string | undefined
    const calls = []
    let finalText = ''
    for (let turn = 0; turn < 5; turn++) {
      const pending = nextTurn(ws)
      ws.send({ type: 'response.create', ...COMMON, input, ...(previous ? { previous_response_id: previous } : {}) })
      const { events, terminal } = await pending
      expect(terminal.type).toBe('response.completed')
      expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index))
      const turnCalls = functionCalls(terminal.response)
      calls.push(...turnCalls)
      previous = terminal.response.id
      if (turnCalls.length === 0) {
        finalText = outputText(terminal.response)
        break
      }
      input = turnCalls.map((call) => ({ type: 'function_call_output', call_id: call.call_id, output: fakeToolOutput(call.name, call.arguments) }))
    }
    expect(finalText).toBe('All tests pass; nothing needed fixing.')
    expect(callShapes(calls)).toEqual([
      ['read_file', { path: 'package.json', start_line: null, end_line: null }],
      ['list_dir', { path: 'src' }],
      ['shell', { command: 'node --test', timeout_ms: null }]
    ])
    expect(new Set(calls.map((call) => call.call_id)).size).toBe(3)
    const bodies = sim!.received.map((message) => message.body as { previous_response_id?: string; input: unknown[] })
    expect(bodies.map((body) => [body.previous_response_id !== undefined, body.input.length])).toEqual([
      [false, 1],
      [true, 2],
      [true, 1]
    ])
    expect(sim!.stats()).toMatchObject({ wsHandshakes: 1, wsConnections: 1, responses: 3 })
  })

  it('answers previous_response_not_found after a reconnect with store:false, and a full resend gets the same next turn', async () => {
    const first = await connect()
    const turn0 = nextTurn(first)
    first.send({ type: 'response.create', ...COMMON, input: [{ role: 'user', content: 'Check the project.' }] })
    const { terminal } = await turn0
    const calls = functionCalls(terminal.response)
    first.close()

    const second = await connect()
    const outputs: ResponseInputItem[] = calls.map((call) => ({ type: 'function_call_output', call_id: call.call_id, output: fakeToolOutput(call.name, call.arguments) }))
    const missing = nextTurn(second)
    second.send({ type: 'response.create', ...COMMON, previous_response_id: terminal.response.id, input: outputs })
    const error = await missing.then(
      () => null,
      (rejection: unknown) => rejection
    )
    expect(error).toBeInstanceOf(OpenAI.OpenAIError)
    expect((error as { error: unknown }).error).toEqual({
      type: 'error',
      status: 400,
      error: {
        type: 'invalid_request_error',
        code: 'previous_response_not_found',
        message: `Previous response with id '${terminal.response.id}' not found.`,
        param: 'previous_response_id'
      }
    })

    // Full replay: the user message, every output item (reasoning with its encrypted content), the outputs.
    const replay = nextTurn(second)
    second.send({ type: 'response.create', ...COMMON, input: [{ role: 'user', content: 'Check the project.' }, ...(terminal.response.output as ResponseInputItem[]), ...outputs] })
    const replayed = await replay
    expect(callShapes(functionCalls(replayed.terminal.response))).toEqual([['shell', { command: 'node --test', timeout_ms: null }]])
    expect(sim!.stats()).toMatchObject({ wsHandshakes: 2, wsConnections: 2 })
  })

  it('warms up with generate:false and continues from the warmup id with empty input', async () => {
    const ws = await connect()
    const warm = nextTurn(ws)
    ws.send({ type: 'response.create', ...COMMON, generate: false, input: [{ role: 'user', content: 'Check the project.' }] })
    const warmup = await warm
    expect(warmup.events.map((event) => event.type)).toEqual(['response.created', 'response.in_progress', 'response.completed'])
    expect(warmup.terminal.response.output).toEqual([])
    expect(warmup.terminal.response.usage).toEqual({
      input_tokens: 0,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: 0,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 0
    })
    const first = nextTurn(ws)
    ws.send({ type: 'response.create', ...COMMON, previous_response_id: warmup.terminal.response.id, input: [] })
    const { terminal } = await first
    expect(terminal.response.previous_response_id).toBe(warmup.terminal.response.id)
    expect(callShapes(functionCalls(terminal.response))).toEqual([
      ['read_file', { path: 'package.json', start_line: null, end_line: null }],
      ['list_dir', { path: 'src' }]
    ])
  })

  it('surfaces a protocol error as the SDK error and keeps the connection usable', async () => {
    const ws = await connect()
    const failing = nextTurn(ws)
    ws.send({ type: 'response.create', ...COMMON, input: 'hi', stream_id: 'bad id!' } as never)
    const error = (await failing.then(
      () => null,
      (rejection: unknown) => rejection
    )) as { message: string; error: { error: { code: string } } }
    expect(error.message).toBe("Invalid 'stream_id': must be 1 to 256 characters of letters, digits, '_', '-' or '.'.")
    expect(error.error.error.code).toBe('invalid_stream_id')
    const ok = nextTurn(ws)
    ws.send({ type: 'response.create', ...COMMON, input: 'Check the project.' })
    expect((await ok).terminal.type).toBe('response.completed')
  })
})
