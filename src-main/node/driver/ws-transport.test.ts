import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WsTransport } from './ws-transport'

let server: Server | null = null
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = null
})

/** A server that takes the TCP connection and never answers the upgrade: a handshake that hangs. */
async function silentServer(): Promise<{ baseUrl: string; accepted: Promise<Socket> }> {
  let accept: (socket: Socket) => void = () => {}
  const accepted = new Promise<Socket>((resolve) => (accept = resolve))
  server = createServer((socket) => accept(socket))
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, accepted }
}

describe('WsTransport', () => {
  it('cuts a handshake still under way when it closes, so no socket opens after it', async () => {
    const { baseUrl, accepted } = await silentServer()
    const transport = new WsTransport({ name: 'custom', baseUrl, apiKey: 'test-key' })
    const connecting = transport.connect()
    // A second caller waits for the same handshake instead of opening another socket.
    expect(transport.connect()).toBe(connecting)
    const socket = await accepted
    const peerClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    transport.close('run finished')
    expect(await connecting).toEqual({ kind: 'dropped', reason: expect.stringMatching(/^cannot connect: WebSocket was closed before the connection was established/) })
    await peerClosed
    expect(transport.connectionId).toBeNull()
  })
})
