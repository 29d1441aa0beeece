import { afterEach, describe, expect, it } from 'vitest'
import { LEDGER } from '../../test-support/driver/ledger-scenario'
import { driverFixture, type DriverFixture } from '../../test-support/driver/driver-fixture'
import { peerClosed, rawHttpServer, type RawHttpServer } from '../../test-support/driver/raw-http-server'
import { SseTransport } from './sse-transport'

let fixture: DriverFixture | null = null
afterEach(async () => {
  await fixture?.cleanup()
  fixture = null
})

describe('SSE transport connections', () => {
  it('keeps one TCP connection alive across the turns of a run', async () => {
    fixture = await driverFixture({ scenario: LEDGER })
    const driver = await fixture.start('Keep a ledger.', { transport: 'sse' })
    expect(await driver.run()).toBe('completed')
    await driver.close()
    expect(driver.state.turns.map((turn) => turn.transport)).toEqual(['sse', 'sse', 'sse', 'sse'])
    expect({ requests: fixture.sim.stats().httpRequests, connections: fixture.sim.stats().tcpConnections }).toEqual({ requests: 4, connections: 1 })
  })

  it('opens a new connection for every turn when asked to', async () => {
    fixture = await driverFixture({ scenario: LEDGER })
    const driver = await fixture.start('Keep a ledger.', { transport: 'sse', sse: { newConnectionPerTurn: true } })
    expect(await driver.run()).toBe('completed')
    await driver.close()
    expect({ requests: fixture.sim.stats().httpRequests, connections: fixture.sim.stats().tcpConnections }).toEqual({ requests: 4, connections: 4 })
  })
})

describe('SSE transport refusals', () => {
  let server: RawHttpServer | null = null
  afterEach(async () => {
    await server?.close()
    server = null
  })

  it('reports a refusal whose body never ends once the read deadline passes, with the part that came', async () => {
    server = await rawHttpServer()
    const transport = new SseTransport({ name: 'custom', baseUrl: server.baseUrl, apiKey: 'test-key' }, { refusalReadMs: 100 })
    const sent = transport.send({ body: { model: 'gpt-test', input: [] }, signal: new AbortController().signal, onFrame: () => undefined })
    const socket = await server.requested
    const closed = peerClosed(socket)
    socket.write('HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nretry-after: 3\r\nContent-Length: 100000\r\n\r\n{"error":{"code":"rate_limit_exceeded"')
    expect(await sent.ended).toEqual({ kind: 'refused', status: 429, code: 'rate_limit_exceeded', type: null, message: 'HTTP 429: {"error":{"code":"rate_limit_exceeded"', headers: { 'retry-after': '3' } })
    await closed
    transport.close()
  })
})
