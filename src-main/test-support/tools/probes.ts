// Things on the host that escape attempts aim at, so each attempt can be judged by its effect:
// a TCP server and Unix socket servers that count connections, and a process outside the sandbox.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { createServer, type AddressInfo, type Server } from 'node:net'
import { networkInterfaces } from 'node:os'
import { rmSync } from 'node:fs'

export class CountingHttpServer {
  hits = 0
  port = 0
  private readonly server: HttpServer

  constructor() {
    this.server = createHttpServer((_req, res) => {
      this.hits++
      res.end('reached the host\n')
    })
  }

  async listen(host = '0.0.0.0'): Promise<this> {
    this.server.listen(0, host)
    await once(this.server, 'listening')
    this.port = (this.server.address() as AddressInfo).port
    return this
  }

  close(): void {
    this.server.close()
  }
}

export class CountingUnixServer {
  connections = 0
  readonly path: string
  private readonly server: Server

  /** `path` starting with NUL is an abstract socket. */
  constructor(path: string) {
    this.path = path
    this.server = createServer((socket) => {
      this.connections++
      socket.on('error', () => socket.destroy())
      socket.end('agent\n')
    })
  }

  async listen(): Promise<this> {
    if (!this.path.startsWith('\0')) rmSync(this.path, { force: true })
    this.server.listen(this.path)
    await once(this.server, 'listening')
    return this
  }

  close(): void {
    this.server.close()
    if (!this.path.startsWith('\0')) rmSync(this.path, { force: true })
  }
}

/** A non-loopback IPv4 address of this machine, or 127.0.0.1 when there is none. */
export function hostAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address
  }
  return '127.0.0.1'
}

export function hostSleeper(): ChildProcess {
  return spawn('sleep', ['600'], { stdio: 'ignore' })
}

/** Processes on the host whose command line contains `needle`. */
export function processesMatching(needle: string): number[] {
  const found: number[] = []
  for (const line of execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' }).split('\n')) {
    const match = /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line)
    if (match && !match[2]?.startsWith('Z') && match[3]?.includes(needle) && !match[3].startsWith('ps ')) found.push(Number(match[1]))
  }
  return found
}
