import OpenAI from 'openai'
import type { Response, ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses'
import { afterEach, describe, expect, it } from 'vitest'
import { startSim, type SimServer } from '../index'
import { callShapes, functionCalls, outputText } from '../test-support/sdk-turns'
import { fakeToolOutput, TOOL_LOOP, TOOL_LOOP_TOOLS } from '../test-support/tool-loop-scenario'

let sim: SimServer | null = null
afterEach(async () => {
  await sim?.stop()
  sim = null
})

async function client(options: Parameters<typeof startSim>[0] = {}): Promise<OpenAI> {
  sim = await startSim({ scenario: TOOL_LOOP, ...options })
  return new OpenAI({ apiKey: 'sk-test', baseURL: sim.baseUrl, maxRetries: 0 })
}

async function streamTurn(openai: OpenAI, body: Record<string, unknown>): Promise<{ events: ResponseStreamEvent[]; response: Response }> {
  const stream = await openai.responses.create({ model: 'gpt-5.2', tools: TOOL_LOOP_TOOLS as never, ...body, stream: true } as never)
  const events: ResponseStreamEvent[] = []
  for await (const event of stream as unknown as AsyncIterable<ResponseStreamEvent>) events.push(event)
  const terminal = events.at(-1)
  if (terminal?.type !== 'response.completed') throw new Error(`stream ended with ${terminal?.type}`)
  return { events, response: terminal.response }
}

describe('openai SDK over HTTP against the sim', () => {
  it('runs the function-calling loop with stream:true and previous_response_id on stored responses', async () => {
    const openai = await client()
    let body: Record<string, unknown> = { input: 'Check the project.' }
    const shapes: Array<[string, unknown]> = []
    let text = ''
    for (let turn = 0; turn < 5; turn++) {
      const { events, response } = await streamTurn(openai, body)
      expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index))
      expect(events.slice(0, 2).map((event) => event.type)).toEqual(['response.created', 'response.in_progress'])
      const calls = functionCalls(response)
      shapes.push(...callShapes(calls))
      if (calls.length === 0) {
        text = outputText(response)
        break
      }
      body = { previous_response_id: response.id, input: calls.map((call) => ({ type: 'function_call_output', call_id: call.call_id, output: fakeToolOutput(call.name, call.arguments) })) }
    }
    expect(text).toBe('All tests pass; nothing needed fixing.')
    expect(shapes.map(([name]) => name)).toEqual(['read_file', 'list_dir', 'shell'])
    expect(sim!.responses.map((entry) => [entry.parentSource, entry.turn, entry.outcome])).toEqual([
      [null, 0, 'completed'],
      ['store', 1, 'completed'],
      ['store', 2, 'completed']
    ])
  })

  it('replays the full transcript with store:false and encrypted reasoning, without previous_response_id', async () => {
    const openai = await client()
    const common = { store: false, include: ['reasoning.encrypted_content'] }
    const transcript: ResponseInputItem[] = [{ role: 'user', content: 'Check the project.' }]
    const first = await streamTurn(openai, { ...common, input: transcript })
    const reasoning = first.response.output.find((item) => item.type === 'reasoning')
    expect(reasoning?.encrypted_content).toMatch(/^gAAAAA/)
    transcript.push(...(first.response.output as ResponseInputItem[]))
    for (const call of functionCalls(first.response)) transcript.push({ type: 'function_call_output', call_id: call.call_id, output: fakeToolOutput(call.name, call.arguments) })
    const second = await streamTurn(openai, { ...common, input: transcript })
    expect(callShapes(functionCalls(second.response))).toEqual([['shell', { command: 'node --test', timeout_ms: null }]])

    const tampered = transcript.map((item) => (item.type === 'reasoning' ? { ...item, encrypted_content: 'gAAAAAforged.signature' } : item))
    await expect(openai.responses.create({ model: 'gpt-5.2', ...common, input: tampered } as never)).rejects.toMatchObject({
      status: 400,
      code: 'invalid_encrypted_content'
    })
  })

  it('answers stream:false with the JSON Response', async () => {
    const openai = await client()
    const response = await openai.responses.create({ model: 'gpt-5.2', tools: TOOL_LOOP_TOOLS as never, input: 'Check the project.' })
    expect(response.status).toBe('completed')
    expect(callShapes(functionCalls(response)).map(([name]) => name)).toEqual(['read_file', 'list_dir'])
    const fetched = await openai.responses.retrieve(response.id)
    expect(fetched.id).toBe(response.id)
    expect(fetched.output).toEqual(response.output)
  })

  it('surfaces request errors as the SDK error classes', async () => {
    const openai = await client()
    await expect(openai.responses.create({ model: 'gpt-5.2', previous_response_id: 'resp_missing', input: 'x' })).rejects.toBeInstanceOf(OpenAI.BadRequestError)
    await expect(openai.responses.create({ model: 'gpt-5.2', previous_response_id: 'resp_missing', input: 'x' })).rejects.toMatchObject({
      status: 400,
      code: 'previous_response_not_found',
      param: 'previous_response_id',
      message: "400 Previous response with id 'resp_missing' not found."
    })
    const unauthorized = new OpenAI({ apiKey: 'sk-wrong', baseURL: sim!.baseUrl, maxRetries: 0 })
    sim!.configure({ apiKey: 'sk-test' })
    await expect(unauthorized.responses.create({ model: 'gpt-5.2', input: 'x' })).rejects.toBeInstanceOf(OpenAI.AuthenticationError)
  })

  it('surfaces a streaming error event as an APIError thrown by the stream', async () => {
    const openai = await client({ faults: ['error@5'] })
    const stream = await openai.responses.create({ model: 'gpt-5.2', tools: TOOL_LOOP_TOOLS as never, input: 'Check the project.', stream: true })
    const seen: string[] = []
    const failure = await (async () => {
      for await (const event of stream) seen.push(event.type)
    })().then(
      () => null,
      (error: unknown) => error
    )
    expect(failure).toBeInstanceOf(OpenAI.APIError)
    expect((failure as Error).message).toBe('The server had an error while processing your request. Sorry about that!')
    expect(seen).toHaveLength(5)
  })
})
