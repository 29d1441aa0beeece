import { afterEach, describe, expect, it } from 'vitest'
import { startSim, type SimServer } from '../index'
import { RawClient, responseOf, type Frame } from '../test-support/raw-client'
import { CREATE, echoScenario } from '../test-support/text-scenario'
import { TOOL_LOOP } from '../test-support/tool-loop-scenario'

let sim: SimServer | null = null
const clients: RawClient[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) client.close()
  await sim?.stop()
  sim = null
})

async function connect(): Promise<RawClient> {
  sim ??= await startSim({ scenario: echoScenario() })
  const client = await RawClient.connect(sim.baseUrl)
  clients.push(client)
  return client
}

async function request(ws: RawClient, body: Record<string, unknown>): Promise<Frame> {
  const from = ws.received.length
  ws.send({ ...CREATE, ...body })
  return (await ws.turn(from, body.stream_id as string | undefined)).at(-1)!
}

function errorCode(frame: Frame): string | null | undefined {
  return (frame.error as { code?: string | null } | undefined)?.code
}

describe('connection-local state', () => {
  it('keeps only the latest response of a lane in memory when store is false', async () => {
    const ws = await connect()
    const first = responseOf(await request(ws, { input: 'one' }))
    const second = responseOf(await request(ws, { input: 'two', previous_response_id: first.id }))
    expect(responseOf(await request(ws, { input: 'three', previous_response_id: second.id })).id).toMatch(/^resp_/)
    const stale = await request(ws, { input: 'again', previous_response_id: first.id })
    expect(stale).toEqual({
      type: 'error',
      status: 400,
      error: { type: 'invalid_request_error', code: 'previous_response_not_found', param: 'previous_response_id', message: `Previous response with id '${first.id}' not found.` }
    })
  })

  it('loses store:false responses with the connection but keeps store:true ones', async () => {
    const ws = await connect()
    const ephemeral = responseOf(await request(ws, { input: 'one' }))
    const stored = responseOf(await request(ws, { input: 'two', store: true }))
    ws.close()
    const next = await connect()
    expect(errorCode(await request(next, { input: 'x', previous_response_id: ephemeral.id }))).toBe('previous_response_not_found')
    const continued = await request(next, { input: 'x', previous_response_id: stored.id })
    expect(continued.type).toBe('response.completed')
    expect(sim!.responses.at(-1)).toMatchObject({ previousResponseId: stored.id, parentSource: 'store' })
  })

  it('evicts the parent after a failed continuation on its own lane, and keeps it after a failed fork', async () => {
    sim = await startSim({ scenario: TOOL_LOOP })
    const ws = await connect()
    const first = responseOf(await request(ws, { input: 'go', stream_id: 'main' }))
    // A fork on another lane that leaves the calls unanswered fails; the parent stays.
    expect(errorCode(await request(ws, { input: 'no outputs', stream_id: 'side', previous_response_id: first.id }))).toBeNull()
    const calls = first.output.filter((item) => item.type === 'function_call') as Array<{ call_id: string }>
    const outputs = calls.map((call) => ({ type: 'function_call_output', call_id: call.call_id, output: 'ok' }))
    // The same mistake on the parent's own lane evicts it: even a correct retry then misses.
    const failed = await request(ws, { input: 'no outputs', stream_id: 'main', previous_response_id: first.id })
    expect(failed).toMatchObject({ type: 'error', status: 400, stream_id: 'main', error: { message: `No tool output found for function call ${calls[0]!.call_id}.`, param: 'input' } })
    expect(errorCode(await request(ws, { input: outputs, stream_id: 'main', previous_response_id: first.id }))).toBe('previous_response_not_found')
  })

  it('answers unknown call ids the way the API does', async () => {
    sim = await startSim({ scenario: TOOL_LOOP })
    const ws = await connect()
    const first = responseOf(await request(ws, { input: 'go' }))
    const answer = await request(ws, { previous_response_id: first.id, input: [{ type: 'function_call_output', call_id: 'call_unknown', output: 'x' }] })
    expect(answer).toMatchObject({ type: 'error', status: 400, error: { message: 'No tool call found for function call output with call_id call_unknown.', param: 'input' } })
  })

  it('refuses creates on a connection older than the age limit and accepts them on a new one', async () => {
    const ws = await connect()
    sim!.configure({ connectionAgeLimitMs: 30 })
    await new Promise((resolve) => setTimeout(resolve, 40))
    ws.send({ ...CREATE, input: 'late', stream_id: 'main' })
    const [refused] = await ws.until((frame) => frame.type === 'error')
    expect(refused).toEqual({
      type: 'error',
      status: 400,
      error: {
        type: 'invalid_request_error',
        code: 'websocket_connection_limit_reached',
        param: null,
        message: 'Responses websocket connection limit reached (30 ms). Create a new websocket connection to continue.'
      }
    })
    expect(ws.socket.readyState).toBe(ws.socket.OPEN)
    sim!.configure({ connectionAgeLimitMs: 60_000 })
    const fresh = await connect()
    expect((await request(fresh, { input: 'again' })).type).toBe('response.completed')
  })
})

describe('client frame validation', () => {
  it('answers malformed and unknown client events with errors and stays up', async () => {
    const ws = await connect()
    ws.send('not json')
    ws.send('[1,2]')
    ws.send({ model: 'x' })
    ws.send({ type: 'response.cancel' })
    ws.socket.send(Buffer.from([1, 2, 3]), { binary: true })
    ws.send({ ...CREATE, input: 'x', background: true })
    ws.send({ ...CREATE, input: 'x', temprature: 1 })
    ws.send({ type: 'response.create', input: 'no model' })
    const errors = await ws.first(8)
    expect(errors.map((frame) => [errorCode(frame), (frame.error as { message: string }).message])).toEqual([
      ['invalid_json', 'Invalid client event: the frame is not valid JSON'],
      ['invalid_json', 'Invalid client event: expected a JSON object'],
      ['missing_required_parameter', "Missing required parameter: 'type'."],
      ['invalid_value', "Invalid value: 'response.cancel'. Supported values are: 'response.create', 'response.steer'."],
      ['invalid_json', 'Invalid client event: binary frames are not supported; send JSON text frames'],
      ['unsupported_parameter', 'Background responses are not supported over WebSocket.'],
      ['unknown_parameter', "Unknown parameter: 'temprature'."],
      ['missing_required_parameter', "Missing required parameter: 'model'."]
    ])
    expect((await request(ws, { input: 'fine', stream: true })).type).toBe('response.completed')
  })
})
