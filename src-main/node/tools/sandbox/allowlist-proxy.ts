// The only way out of a sandbox with a network allowlist: an HTTP proxy on a Unix socket that
// the sandbox can reach (its own network namespace has nothing but loopback). It tunnels
// CONNECT and forwards plain HTTP for allowed hosts and refuses everything else, recording each
// refusal so the tool result can say what was blocked - a refusal can look like success to the
// command (curl exits 0 on a 403).
import { request as httpRequest, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns'
import { BlockList, connect, type Socket } from 'node:net'
import { rmSync } from 'node:fs'
import { isHostAllowed, isHostListedExactly } from './network-allowlist'

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

/** How a host name becomes addresses (the system resolver unless a test supplies its own). */
export type HostLookup = (hostname: string, options: LookupOptions & { all: true }, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void

const systemLookup: HostLookup = (hostname, options, callback) => dnsLookup(hostname, options, callback)

/** The `lookup` option of net.connect: all addresses when it asks for all, else the first. */
type ConnectLookup = (
  hostname: string,
  options: LookupOptions,
  callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void
) => void

/**
 * The host's own services (loopback) and the cloud metadata endpoint (link-local): a name under
 * an allowed wildcard whose DNS someone else controls may point there, so such a name is refused
 * unless the allowlist names it exactly.
 */
const HOST_LOCAL = new BlockList()
HOST_LOCAL.addSubnet('127.0.0.0', 8, 'ipv4')
HOST_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4')
HOST_LOCAL.addSubnet('0.0.0.0', 8, 'ipv4')
HOST_LOCAL.addAddress('::1', 'ipv6')
HOST_LOCAL.addAddress('::', 'ipv6')
HOST_LOCAL.addSubnet('fe80::', 10, 'ipv6')
HOST_LOCAL.addSubnet('::ffff:127.0.0.0', 104, 'ipv6')
HOST_LOCAL.addSubnet('::ffff:169.254.0.0', 112, 'ipv6')
HOST_LOCAL.addSubnet('::ffff:0.0.0.0', 104, 'ipv6')

export class AllowlistProxy {
  private readonly server: Server
  private readonly allowlist: readonly string[]
  private readonly events: ProxyEvent[] = []
  private readonly sockets = new Set<Socket>()
  private readonly resolve: HostLookup

  private constructor(allowlist: readonly string[], resolve: HostLookup) {
    this.allowlist = allowlist
    this.resolve = resolve
    this.server = createServer((req, res) => this.forward(req, res))
    this.server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => this.tunnel(req, client, head))
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
  }

  static async listen(socketPath: string, allowlist: readonly string[], resolve: HostLookup = systemLookup): Promise<AllowlistProxy> {
    rmSync(socketPath, { force: true })
    const proxy = new AllowlistProxy(allowlist, resolve)
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

  /** Resolves like the system, but a name not listed exactly never leads to a host-local address. */
  private lookupFor(host: string, port: number): ConnectLookup {
    const exact = isHostListedExactly(this.allowlist, host)
    return (hostname, options, callback) =>
      this.resolve(hostname, { ...options, all: true }, (error, addresses) => {
        const local = addresses.find(({ address, family }) => HOST_LOCAL.check(address, family === 6 ? 'ipv6' : 'ipv4'))
        if (!error && local && !exact) {
          this.events.push({ host, port, allowed: false })
          error = Object.assign(new Error(`blocked by the Tether network allowlist: ${host} resolves to ${local.address}, an address of this machine`), { code: 'EACCES' })
        }
        const first = addresses[0]
        if (error || first === undefined) callback(error ?? Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' }), options.all ? [] : '', 0)
        else if (options.all) callback(null, addresses)
        else callback(null, first.address, first.family)
      })
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
    const upstream = connect({ host: target.host, port: target.port, lookup: this.lookupFor(target.host, target.port) })
    this.sockets.add(upstream)
    upstream.on('close', () => this.sockets.delete(upstream))
    let established = false
    upstream.once('connect', () => {
      established = true
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', (error) => {
      if (client.writable && !established) client.end(`HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n${error.message}\n`)
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
    const upstream = httpRequest({ host, port, lookup: this.lookupFor(host, port), method: req.method, path: `${url.pathname}${url.search}`, headers }, (answer) => {
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
