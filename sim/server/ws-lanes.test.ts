import { afterEach, describe, expect, it } from 'vitest'
import { startSim, type SimServer } from '../index'
import { grammarProblems } from '../test-support/grammar'
import { RawClient, responseOf } from '../test-support/raw-client'
import { CREATE, echoScenario } from '../test-support/text-scenario'
import { MAX_IN_FLIGHT, MAX_NAMED_LANES } from './ws-connection'

let sim: SimServer | null = null
let client: RawClient | null = null
afterEach(async () => {
  client?.close()
  await sim?.stop()
  sim = client = null
})

async function open(timing = {}): Promise<RawClient> {
  sim = await startSim({ scenario: echoScenario(timing) })
  client = await RawClient.connect(sim.baseUrl)
  return client
}

describe('stream_id lanes', () => {
  it('stamps every event of a named lane with its stream_id and none on the default lane', async () => {
    const ws = await open()
    ws.send({ ...CREATE, input: 'hi', stream_id: 'lane.a-1' })
    const named = await ws.turn(0, 'lane.a-1')
    expect(named.every((frame) => frame.stream_id === 'lane.a-1')).toBe(true)
    expect(grammarProblems(named)).toEqual([])
    ws.send({ ...CREATE, input: 'hi' })
    const plain = await ws.turn(named.length)
    expect(plain.some((frame) => 'stream_id' in frame)).toBe(false)
    expect(grammarProblems(plain)).toEqual([])
  })

  it('runs one lane in FIFO order while another lane runs concurrently', async () => {
    const ws = await open({ ttftMs: 30 })
    ws.send({ ...CREATE, input: 'one', stream_id: 'a' })
    ws.send({ ...CREATE, input: 'two', stream_id: 'a' })
    ws.send({ ...CREATE, input: 'three', stream_id: 'b' })
    await ws.until((frame) => frame.stream_id === 'a' && frame.type === 'response.completed' && ws.received.filter((f) => f.type === 'response.completed' && f.stream_id === 'a').length === 2)
    const order = ws.received.filter((frame) => frame.type === 'response.created' || frame.type === 'response.completed').map((frame) => `${frame.stream_id}:${frame.type.slice(9)}`)
    expect(order.slice(0, 2).sort()).toEqual(['a:created', 'b:created'])
    expect(order.indexOf('a:completed')).toBeLessThan(order.lastIndexOf('a:created'))
  })

  it(`queues creates beyond ${MAX_IN_FLIGHT} in flight until one finishes`, async () => {
    const ws = await open({ ttftMs: 40 })
    for (let lane = 0; lane <= MAX_IN_FLIGHT; lane++) ws.send({ ...CREATE, input: 'x', stream_id: `lane${lane}` })
    const last = `lane${MAX_IN_FLIGHT}`
    await ws.until((frame) => frame.stream_id === last && frame.type === 'response.completed')
    const types = ws.received.map((frame) => `${frame.stream_id}:${frame.type}`)
    const firstCompleted = types.findIndex((entry) => entry.endsWith(':response.completed'))
    expect(types.filter((entry) => entry.endsWith(':response.created')).slice(0, MAX_IN_FLIGHT)).not.toContain(`${last}:response.created`)
    expect(types.indexOf(`${last}:response.created`)).toBeGreaterThan(firstCompleted)
  })

  it(`refuses the ${MAX_NAMED_LANES + 1}th distinct stream_id and keeps serving the others`, async () => {
    const ws = await open()
    for (let lane = 0; lane < MAX_NAMED_LANES; lane++) ws.send({ ...CREATE, input: 'x', stream_id: `l${lane}` })
    ws.send({ ...CREATE, input: 'x', stream_id: 'one-too-many' })
    const [refusal] = await ws.until((frame) => frame.type === 'error')
      .then((frames) => frames.filter((frame) => frame.type === 'error'))
    expect(refusal).toEqual({
      type: 'error',
      status: 400,
      stream_id: 'one-too-many',
      error: {
        type: 'invalid_request_error',
        code: 'websocket_stream_limit_reached',
        param: 'stream_id',
        message: 'This connection has reached the maximum number of distinct stream IDs (32). Reuse an existing stream ID or open a new websocket connection.'
      }
    })
    ws.send({ ...CREATE, input: 'again', stream_id: 'l0' })
    await ws.until((frame) => frame.stream_id === 'l0' && frame.type === 'response.completed' && ws.received.filter((f) => f.stream_id === 'l0' && f.type === 'response.completed').length === 2)
  })

  it('rejects a malformed stream_id without echoing it', async () => {
    const ws = await open()
    ws.send({ ...CREATE, input: 'x', stream_id: '' })
    const [error] = await ws.until((frame) => frame.type === 'error')
    expect(error).toMatchObject({ type: 'error', status: 400, error: { code: 'invalid_stream_id', param: 'stream_id' } })
    expect(error).not.toHaveProperty('stream_id')
  })

  it('forks from another lane and keeps each lane’s latest response', async () => {
    const ws = await open()
    ws.send({ ...CREATE, input: 'base', stream_id: 'a' })
    const base = responseOf((await ws.turn(0, 'a')).at(-1)!)
    let from = ws.received.length
    ws.send({ ...CREATE, input: 'fork', stream_id: 'b', previous_response_id: base.id })
    const fork = (await ws.turn(from, 'b')).at(-1)!
    expect(fork.type).toBe('response.completed')
    from = ws.received.length
    ws.send({ ...CREATE, input: 'continue', stream_id: 'a', previous_response_id: base.id })
    expect((await ws.turn(from, 'a')).at(-1)!.type).toBe('response.completed')
  })
})
