// A TCP server that speaks just enough HTTP to misbehave on purpose: it reads a request's head and
// hands the socket to the test, which writes whatever answer (or none) it wants.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'

export interface RawHttpServer {
  baseUrl: string
  /** The socket of the first request whose head has arrived. */
  requested: Promise<Socket>
  close(): Promise<void>
}

export async function rawHttpServer(): Promise<RawHttpServer> {
  let hand: (socket: Socket) => void = () => {}
  const requested = new Promise<Socket>((resolve) => (hand = resolve))
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.on('close', () => sockets.delete(socket))
    let head = ''
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1')
      if (!head.includes('\r\n\r\n')) return
      socket.off('data', onData)
      hand(socket)
    }
    socket.on('data', onData)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requested,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

/** Resolves once the peer has closed `socket` (at once if it already has). */
export function peerClosed(socket: Socket): Promise<void> {
  return socket.destroyed || socket.readableEnded ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()))
}
