// A WebSocket proxy between Tether and the model server that keeps every client message, so a
// test can see what actually reached the server (e.g. a denial message in a function output).
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocket, WebSocketServer } from 'ws'

export interface RecordingProxy {
  baseUrl: string
  /** Client-to-server messages, parsed. */
  received: () => unknown[]
  close(): Promise<void>
}

export async function startRecordingProxy(targetBaseUrl: string): Promise<RecordingProxy> {
  const received: unknown[] = []
  const target = new URL(targetBaseUrl)
  const server = createServer((_request, response) => response.writeHead(404).end())
  const sockets = new WebSocketServer({ server })
  sockets.on('connection', (client, request) => {
    const upstream = new WebSocket(`ws://${target.host}${request.url ?? '/'}`, { headers: { authorization: request.headers.authorization ?? '' } })
    const pending: string[] = []
    upstream.on('open', () => pending.splice(0).forEach((message) => upstream.send(message)))
    upstream.on('message', (data) => client.readyState === client.OPEN && client.send(data.toString()))
    upstream.on('close', () => client.close())
    upstream.on('error', () => client.terminate())
    client.on('message', (data) => {
      const text = data.toString()
      received.push(JSON.parse(text))
      if (upstream.readyState === upstream.OPEN) upstream.send(text)
      else pending.push(text)
    })
    client.on('close', () => upstream.close())
    client.on('error', () => upstream.terminate())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}${target.pathname}`,
    received: () => received,
    close: async () => {
      for (const client of sockets.clients) client.terminate()
      sockets.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
