import { afterEach, describe, expect, it } from 'vitest'
import { startSim, type SimServer } from '../index'
import { grammarProblems } from '../test-support/grammar'
import { TOOL_LOOP } from '../test-support/tool-loop-scenario'

let sim: SimServer | null = null
afterEach(async () => {
  await sim?.stop()
  sim = null
})

async function server(faults: string[] = []): Promise<SimServer> {
  sim = await startSim({ scenario: TOOL_LOOP, faults })
  return sim
}

function post(body: unknown, headers: Record<string, string> = { authorization: 'Bearer sk-test' }): Promise<Response> {
  return fetch(`${sim!.baseUrl}/responses`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) })
}

interface SseEvent {
  event: string
  data: Record<string, unknown>
}

function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim().length > 0)
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? ''
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as Record<string, unknown>
      return { event, data }
    })
}

const BODY = { model: 'gpt-5.2', input: 'Check the project.', stream: true }

describe('HTTP POST /v1/responses', () => {
  it('streams SSE with event lines matching each payload type, and obfuscation padding on deltas', async () => {
    await server()
    const response = await post(BODY)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    const events = parseSse(await response.text())
    expect(events.every((entry) => entry.event === entry.data.type)).toBe(true)
    expect(grammarProblems(events.map((entry) => entry.data))).toEqual([])
    const deltas = events.filter((entry) => entry.event.endsWith('.delta'))
    expect(deltas.length).toBeGreaterThan(0)
    expect(deltas.every((entry) => typeof entry.data.obfuscation === 'string' && ((entry.data.delta as string).length + (entry.data.obfuscation as string).length) % 16 === 0)).toBe(true)
    const plain = parseSse(await (await post({ ...BODY, stream_options: { include_obfuscation: false } })).text())
    expect(plain.some((entry) => 'obfuscation' in entry.data)).toBe(false)
  })

  it('answers errors as JSON bodies with the API statuses', async () => {
    await server(['rate-limit@0'])
    const limited = await post(BODY)
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '1'])
    const cases: Array<[Promise<Response>, number, object]> = [
      [post(BODY, {}), 401, { code: null, param: null, type: 'invalid_request_error' }],
      [post(BODY, { authorization: 'Basic abc' }), 401, { code: null }],
      [post('{"model":', { authorization: 'Bearer k' }), 400, { code: null, type: 'invalid_request_error' }],
      [post({ ...BODY, stream_id: 'a' }), 400, { code: 'unknown_parameter', param: 'stream_id', message: "Unknown parameter: 'stream_id'." }],
      [post({ ...BODY, generate: false }), 400, { code: 'unknown_parameter', param: 'generate' }],
      [post({ ...BODY, input: [{ type: 'bogus' }] }), 400, { code: 'invalid_value', param: 'input[0].type' }],
      [post({ ...BODY, previous_response_id: 'resp_x', conversation: 'conv_x' }), 400, { code: 'mutually_exclusive_parameters' }],
      [fetch(`${sim!.baseUrl}/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer k' } }), 404, { message: 'Invalid URL (POST /v1/chat/completions)' }],
      [fetch(`${sim!.baseUrl}/responses/resp_nope`, { headers: { authorization: 'Bearer k' } }), 404, { message: "Response with id 'resp_nope' not found." }]
    ]
    for (const [pending, status, error] of cases) {
      const response = await pending
      expect({ status: response.status, body: await response.json() }).toEqual({ status, body: { error: expect.objectContaining(error) } })
    }
  })

  it('cuts an SSE stream on drop-once and ends it early on close', async () => {
    await server(['drop-once:4'])
    const dropped = await post(BODY)
    await expect(dropped.text()).rejects.toThrow()
    sim!.configure({ faults: ['close:1000@3'] })
    const closed = parseSse(await (await post(BODY)).text())
    expect(closed.map((entry) => entry.event)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added'])
    expect(sim!.responses.map((entry) => entry.outcome)).toEqual(['dropped', 'dropped'])
  })

  it('refuses with HTTP 500 when the error is injected before the first event, and fails mid-stream otherwise', async () => {
    await server(['error@0'])
    const refused = await post(BODY)
    expect([refused.status, await refused.json()]).toEqual([500, { error: { type: 'server_error', code: 'server_error', param: null, message: 'The server had an error while processing your request. Sorry about that!' } }])
    sim!.configure({ faults: ['failed@3'] })
    const failed = parseSse(await (await post(BODY)).text())
    expect(failed.at(-1)).toMatchObject({ event: 'response.failed', data: { sequence_number: 3, response: { status: 'failed', error: { code: 'server_error' } } } })
    sim!.configure({ faults: ['failed@3'] })
    const json = await post({ ...BODY, stream: false })
    expect(json.status).toBe(500)
  })
})
