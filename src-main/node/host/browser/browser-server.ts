// Browser mode: the renderer and the API on one loopback port. The page is public code; the API
// needs this launch's token (carried in the URL fragment, which never reaches a server or a
// Referer), and the WebSocket must come from the page's own origin, so other sites open in the
// same browser cannot drive it.
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocketServer } from 'ws'
import { BRIDGE_PATH } from '../../../common/api/bridge-wire'
import { securityHeaders } from '../csp'
import { resolveStaticFile } from '../static-files'
import type { TetherHost } from '../tether-host'
import { serveBridgeConnection } from './bridge-connection'
import { isLoopbackHost } from './loopback'

export interface BrowserServerOptions {
  /** The address to bind; loopback unless `allowRemote`. */
  bindHost: string
  port: number
  /** Permit a non-loopback bind: anyone who can reach the port and holds the token can drive the host. */
  allowRemote: boolean
  rendererDir: string
  token?: string
}

export interface BrowserServer {
  /** The page to open, token included. */
  url: string
  origin: string
  port: number
  token: string
  close(): Promise<void>
}

export class RemoteBindRefused extends Error {}

const MAX_MESSAGE_BYTES = 4 * 1024 * 1024

function reject(socket: Socket, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

export async function startBrowserServer(host: TetherHost, options: BrowserServerOptions): Promise<BrowserServer> {
  if (!options.allowRemote && !isLoopbackHost(options.bindHost)) {
    throw new RemoteBindRefused(
      `refusing to listen on ${options.bindHost}: browser mode binds to loopback only unless --allow-remote is given`
    )
  }
  const token = options.token ?? randomBytes(32).toString('base64url')
  let port = options.port

  /** Host headers this server answers to: its own loopback names (DNS-rebinding defence). */
  const hostAllowed = (header: string | undefined): boolean => {
    if (!header) return false
    if (options.allowRemote) return true
    const match = /^(.*):(\d+)$/.exec(header)
    return match !== null && Number(match[2]) === port && isLoopbackHost(match[1] ?? '')
  }
  const originAllowed = (request: IncomingMessage): boolean => {
    const origin = request.headers.origin
    return origin !== undefined && hostAllowed(request.headers.host) && origin === `http://${request.headers.host}`
  }

  const serveFile = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (!hostAllowed(request.headers.host)) {
      response.writeHead(421, { 'Content-Type': 'text/plain' }).end('misdirected request\n')
      return
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end()
      return
    }
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    const file = await resolveStaticFile(options.rendererDir, path)
    if (!file) {
      response.writeHead(404, { 'Content-Type': 'text/plain', ...securityHeaders() }).end('not found\n')
      return
    }
    response.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': file.contentType,
      'Content-Length': file.body.length,
      'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache'
    })
    response.end(request.method === 'HEAD' ? undefined : file.body)
  }

  const server = createServer((request, response) => {
    serveFile(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain' })
      response.end('internal error\n')
    })
  })
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  server.on('upgrade', (request, socket: Socket, head) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    if (path !== BRIDGE_PATH) return reject(socket, 404, 'Not Found')
    if (!originAllowed(request)) return reject(socket, 403, 'Forbidden')
    sockets.handleUpgrade(request, socket, head, (ws) => serveBridgeConnection(ws, host, token))
  })

  await new Promise<void>((resolve, fail) => {
    server.once('error', fail)
    server.listen(options.port, options.bindHost, () => {
      server.off('error', fail)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port
  const hostName = options.bindHost.includes(':') ? `[${options.bindHost}]` : options.bindHost
  const origin = `http://${hostName}:${port}`
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    close: async () => {
      for (const client of sockets.clients) client.close(1001, 'the host is stopping')
      sockets.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
