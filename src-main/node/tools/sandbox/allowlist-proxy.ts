// The only way out of a sandbox with a network allowlist: an HTTP proxy on a Unix socket that
// the sandbox can reach (its own network namespace has nothing but loopback). It tunnels
// CONNECT and forwards plain HTTP for allowed hosts and refuses everything else, recording each
// refusal so the tool result can say what was blocked - a refusal can look like success to the
// command (curl exits 0 on a 403).
import { request as httpRequest, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { connect, type Socket } from 'node:net'
import { rmSync } from 'node:fs'
import { isHostAllowed } from './network-allowlist'

export interface ProxyEvent {
  host: string
  port: number
  allowed: boolean
}

function splitHostPort(authority: string, defaultPort: number): { host: string; port: number } | null {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority)
  if (!match?.[1]) return null
  const port = match[2] === undefined ? defaultPort : Number(match[2])
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null
  return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port }
}

const HOP_BY_HOP = new Set(['proxy-connection', 'proxy-authorization', 'connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade'])

export class AllowlistProxy {
  private readonly server: Server
  private readonly allowlist: readonly string[]
  private readonly events: ProxyEvent[] = []
  private readonly sockets = new Set<Socket>()

  private constructor(allowlist: readonly string[]) {
    this.allowlist = allowlist
    this.server = createServer((req, res) => this.forward(req, res))
    this.server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => this.tunnel(req, client, head))
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
  }

  static async listen(socketPath: string, allowlist: readonly string[]): Promise<AllowlistProxy> {
    rmSync(socketPath, { force: true })
    const proxy = new AllowlistProxy(allowlist)
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject)
      proxy.server.listen(socketPath, () => resolve())
    })
    return proxy
  }

  /** Every decision since the last call. */
  takeEvents(): ProxyEvent[] {
    return this.events.splice(0)
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }

  private decide(host: string, port: number): boolean {
    const allowed = isHostAllowed(this.allowlist, host)
    this.events.push({ host, port, allowed })
    return allowed
  }

  private tunnel(req: IncomingMessage, client: Socket, head: Buffer): void {
    client.on('error', () => client.destroy())
    const target = splitHostPort(req.url ?? '', 443)
    if (target === null) {
      client.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
      return
    }
    if (!this.decide(target.host, target.port)) {
      client.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nblocked by the Tether network allowlist: ${target.host}\n`)
      return
    }
    const upstream = connect({ host: target.host, port: target.port })
    this.sockets.add(upstream)
    upstream.on('close', () => this.sockets.delete(upstream))
    upstream.once('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', (error) => {
      if (client.writable && upstream.connecting) client.end(`HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n${error.message}\n`)
      else client.destroy()
    })
    client.on('close', () => upstream.destroy())
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    let url: URL
    try {
      url = new URL(req.url ?? '')
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('a proxy request needs an absolute http:// URL\n')
      return
    }
    if (url.protocol !== 'http:') {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(`unsupported protocol ${url.protocol}\n`)
      return
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
    const port = url.port === '' ? 80 : Number(url.port)
    if (!this.decide(host, port)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end(`blocked by the Tether network allowlist: ${host}\n`)
      return
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)))
    const upstream = httpRequest({ host, port, method: req.method, path: `${url.pathname}${url.search}`, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' })
      res.end(`${error.message}\n`)
    })
    req.pipe(upstream)
  }
}
