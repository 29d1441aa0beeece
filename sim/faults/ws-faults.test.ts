import OpenAI from 'openai'
import { ResponsesWebSocketSession } from 'openai/lib/responses/responses-websocket-session'
import { ResponsesWS } from 'openai/resources/responses/ws'
import { WebSocket } from 'ws'
import { afterEach, describe, expect, it } from 'vitest'
import { startSim, type SimServer } from '../index'
import { grammarProblems } from '../test-support/grammar'
import { RawClient, responseOf } from '../test-support/raw-client'
import { CREATE } from '../test-support/text-scenario'
import { TOOL_LOOP } from '../test-support/tool-loop-scenario'

let sim: SimServer | null = null
const clients: RawClient[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) client.close()
  await sim?.stop()
  sim = null
})

async function connect(faults: string[] = [], timing = {}): Promise<RawClient> {
  sim ??= await startSim({ scenario: { ...TOOL_LOOP, timing: { ...TOOL_LOOP.timing, ...timing } }, faults })
  const client = await RawClient.connect(sim.baseUrl)
  clients.push(client)
  return client
}

function handshakeStatus(baseUrl: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/responses`, { headers: { Authorization: 'Bearer sk-test' } })
    socket.on('unexpected-response', (_request, response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }))
    })
    socket.on('open', () => {
      socket.close()
      resolve({ status: 101, headers: {}, body: '' })
    })
    socket.on('error', () => {})
  })
}

describe('WebSocket faults', () => {
  it('drop-once:N cuts the first connection after exactly N events (1006) and spares the next', async () => {
    const first = await connect(['drop-once:5'])
    first.send({ ...CREATE, input: 'go' })
    expect(await first.closed).toEqual({ code: 1006, reason: '' })
    expect(first.received).toHaveLength(5)
    const second = await connect()
    second.send({ ...CREATE, input: 'go' })
    expect((await second.turn(0)).at(-1)!.type).toBe('response.completed')
    expect(sim!.responses.map((entry) => entry.outcome)).toEqual(['dropped', 'completed'])
    expect(sim!.connections().map((info) => [info.eventsSent, info.closeCode])).toEqual([
      [5, 1006],
      [second.received.length, null]
    ])
  })

  it('drop-every:N cuts every connection', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const client = await connect(['drop-every:3'])
      client.send({ ...CREATE, input: 'go' })
      expect((await client.closed).code).toBe(1006)
      expect(client.received).toHaveLength(3)
    }
  })

  it('close:CODE@N closes with that code after N events', async () => {
    const client = await connect(['close:1011@4'])
    client.send({ ...CREATE, input: 'go' })
    expect(await client.closed).toEqual({ code: 1011, reason: 'server closed the connection' })
    expect(client.received).toHaveLength(4)
  })

  it('error@N replaces event N with a flat error, ends the response with response.failed, and fires once', async () => {
    const client = await connect(['error@3'])
    client.send({ ...CREATE, input: 'go' })
    const frames = await client.until((frame) => frame.type === 'response.failed', 0)
    expect(frames.map((frame) => frame.type)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'error', 'response.failed'])
    expect(frames[3]).toEqual({ type: 'error', code: 'server_error', message: 'The server had an error while processing your request. Sorry about that!', param: null, sequence_number: 3 })
    expect(frames[4]).toMatchObject({ sequence_number: 4, response: { status: 'failed', error: { code: 'server_error' } } })
    client.send({ ...CREATE, input: 'go' })
    expect((await client.turn(frames.length)).at(-1)!.type).toBe('response.completed')
  })

  it('error@0 refuses the request with a nested 500 error before response.created', async () => {
    const client = await connect(['error@0'])
    client.send({ ...CREATE, input: 'go', stream_id: 'x' })
    expect(await client.turn(0, 'x')).toEqual([
      { type: 'error', status: 500, stream_id: 'x', error: { type: 'server_error', code: 'server_error', param: null, message: 'The server had an error while processing your request. Sorry about that!' } }
    ])
  })

  it('failed@N ends the response with response.failed carrying what was streamed', async () => {
    const client = await connect(['failed@8'])
    client.send({ ...CREATE, input: 'go' })
    const frames = await client.turn(0)
    const failed = frames.at(-1)!
    expect(failed.type).toBe('response.failed')
    expect(failed.sequence_number).toBe(8)
    expect(failed.response).toMatchObject({ status: 'failed', error: { code: 'server_error' } })
    // Event 8 falls inside the reasoning summary: the item is reported as far as it streamed.
    expect(responseOf(failed).output).toEqual([{ id: expect.stringMatching(/^rs_/), type: 'reasoning', status: 'incomplete', summary: [{ type: 'summary_text', text: 'Look at the package manifest and the source' }] }])
  })

  it('stall:MS@N holds event N back for MS milliseconds', async () => {
    // Only lower bounds: a busy machine may delay any frame, but none can beat the stall.
    const client = await connect(['stall:120@4'])
    const times: number[] = []
    client.socket.on('message', () => times.push(performance.now()))
    const sent = performance.now()
    client.send({ ...CREATE, input: 'go' })
    await client.turn(0)
    expect(times[4]! - sent).toBeGreaterThanOrEqual(119)
  })

  it('sparse omits setup events and terminal output; the SDK lane still rebuilds the response', async () => {
    sim = await startSim({ scenario: TOOL_LOOP, faults: ['sparse'] })
    const raw = await connect()
    raw.send({ ...CREATE, input: 'go' })
    const frames = await raw.turn(0)
    expect(frames.some((frame) => frame.type === 'response.output_item.added' || frame.type === 'response.content_part.added')).toBe(false)
    expect(frames.at(-1)!.response).not.toHaveProperty('output')
    expect(frames.map((frame) => frame.sequence_number)).toEqual(frames.map((_, index) => index))

    const ws = new ResponsesWS(new OpenAI({ apiKey: 'sk-test', baseURL: sim.baseUrl }))
    ws.on('error', () => {})
    try {
      await new Promise<void>((resolve) => ws.socket.once('open', () => resolve()))
      const session = new ResponsesWebSocketSession(ws, { maxLanes: 4, maxBufferedEvents: 10_000, maxBufferedBytes: 16 * 1024 * 1024 })
      const lane = session.lane('main')
      lane.create({ model: 'gpt-5.2', store: false, input: 'go' })
      const response = await lane.finalResponse()
      expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call', 'function_call'])
    } finally {
      ws.close()
    }
  })

  it('evict makes every continuation miss its previous_response_id', async () => {
    const client = await connect(['evict'])
    client.send({ ...CREATE, input: 'go' })
    const first = responseOf((await client.turn(0)).at(-1)!)
    const from = client.received.length
    client.send({ ...CREATE, input: [], previous_response_id: first.id })
    expect((await client.turn(from)).at(-1)!.error).toMatchObject({ code: 'previous_response_not_found' })
  })

  it('no-websocket refuses the upgrade with 426; upgrade-429 refuses the first with Retry-After', async () => {
    sim = await startSim({ scenario: TOOL_LOOP, faults: ['no-websocket'] })
    expect(await handshakeStatus(sim.baseUrl)).toMatchObject({ status: 426 })
    sim.configure({ faults: ['upgrade-429:7'] })
    const limited = await handshakeStatus(sim.baseUrl)
    expect(limited).toMatchObject({ status: 429, headers: { 'retry-after': '7', 'retry-after-ms': '7000', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '7s' } })
    expect(JSON.parse(limited.body)).toEqual({
      error: { type: 'rate_limit_error', code: 'rate_limit_exceeded', param: null, message: 'Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 7s.' }
    })
    expect((await handshakeStatus(sim.baseUrl)).status).toBe(101)
    expect(sim.stats()).toMatchObject({ wsHandshakes: 3, wsConnections: 1 })
  })

  it('rate-limit@R refuses the R-th create with a nested 429 and its headers; quota@R with insufficient_quota', async () => {
    const client = await connect(['rate-limit@1', 'quota@2'])
    client.send({ ...CREATE, input: 'go' })
    await client.turn(0)
    const from = client.received.length
    client.send({ ...CREATE, input: 'go' })
    expect(await client.turn(from)).toEqual([
      {
        type: 'error',
        status: 429,
        error: {
          type: 'rate_limit_error',
          code: 'rate_limit_exceeded',
          param: null,
          message: 'Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 1s.',
          headers: { 'retry-after': '1', 'retry-after-ms': '1000', 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s' }
        }
      }
    ])
    const next = client.received.length
    client.send({ ...CREATE, input: 'go' })
    expect((await client.turn(next))[0]).toMatchObject({ type: 'error', status: 429, error: { type: 'insufficient_quota', code: 'insufficient_quota' } })
  })

  it('no-pong leaves pings unanswered; without it pings are answered', async () => {
    const answered = await connect()
    const pong = new Promise((resolve) => answered.socket.once('pong', resolve))
    answered.socket.ping('hello')
    expect(String(await pong)).toBe('hello')
    sim!.configure({ faults: ['no-pong'] })
    const silent = await connect()
    let ponged = false
    silent.socket.once('pong', () => (ponged = true))
    silent.socket.ping()
    silent.send({ ...CREATE, input: 'go' })
    await silent.turn(0)
    expect(ponged).toBe(false)
  })

  it('keeps the event grammar intact under stalls', async () => {
    const client = await connect(['stall:5@3'])
    client.send({ ...CREATE, input: 'go' })
    expect(grammarProblems(await client.turn(0))).toEqual([])
  })
})
