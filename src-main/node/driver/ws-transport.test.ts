import type { Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { peerClosed, rawHttpServer, type RawHttpServer } from '../../test-support/driver/raw-http-server'
import type { TurnEnd } from './transport'
import { WsTransport } from './ws-transport'

let server: RawHttpServer | null = null
afterEach(async () => {
  await server?.close()
  server = null
})

const KEY = 'test-key'

/** Connects to a server that answers the upgrade with `answer`; resolves once the client has also closed the socket. */
async function refusedUpgrade(refusalReadMs: number, answer: (socket: Socket) => void): Promise<TurnEnd | null> {
  server = await rawHttpServer()
  const transport = new WsTransport({ name: 'custom', baseUrl: server.baseUrl, apiKey: KEY }, { refusalReadMs })
  const connecting = transport.connect()
  const socket = await server.requested
  const closed = peerClosed(socket)
  answer(socket)
  const end = await connecting
  await closed
  return end
}

describe('WsTransport', () => {
  it('cuts a handshake still under way when it closes, so no socket opens after it', async () => {
    server = await rawHttpServer()
    const transport = new WsTransport({ name: 'custom', baseUrl: server.baseUrl, apiKey: KEY })
    const connecting = transport.connect()
    // A second caller waits for the same handshake instead of opening another socket.
    expect(transport.connect()).toBe(connecting)
    const socket = await server.requested
    const closed = peerClosed(socket)
    transport.close('run finished')
    expect(await connecting).toEqual({ kind: 'dropped', reason: expect.stringMatching(/^cannot connect: WebSocket was closed before the connection was established/) })
    await closed
    expect(transport.connectionId).toBeNull()
  })

  it('reports a refused upgrade whose body never ends once the read deadline passes, with the part that came', async () => {
    const end = await refusedUpgrade(100, (socket) => {
      socket.write('HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"error":{"message":"Incorrect API key"')
    })
    expect(end).toEqual({ kind: 'refused', status: 401, code: null, type: null, message: 'HTTP 401: Incorrect API key', headers: null })
  })

  it('stops reading a refused upgrade at 64 KiB of body, long before the read deadline', async () => {
    // A deadline past the test's own timeout: only the size limit can end this read.
    const end = await refusedUpgrade(600_000, (socket) => {
      socket.write('HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n')
      const chunk = 'x'.repeat(16 * 1024)
      for (let index = 0; index < 64; index++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`)
    })
    expect(end).toEqual({ kind: 'refused', status: 403, code: null, type: null, message: `HTTP 403: ${'x'.repeat(200)}`, headers: null })
  })
})
