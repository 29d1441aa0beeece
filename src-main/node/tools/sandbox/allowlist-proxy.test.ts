import { once } from 'node:events'
import { createServer, request, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { removeScratch, scratchDir } from '../../../test-support/tools/scratch'
import { AllowlistProxy, type HostLookup } from './allowlist-proxy'

const root = scratchDir('proxy')
let target: Server
let targetPort = 0
let hits = 0

beforeAll(async () => {
  target = createServer((_req, res) => {
    hits++
    res.end('hello from the target\n')
  })
  target.listen(0, '127.0.0.1')
  await once(target, 'listening')
  targetPort = (target.address() as AddressInfo).port
})

afterAll(async () => {
  target.close()
  removeScratch(root)
})

function viaProxy(socketPath: string, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: url, headers: { host: new URL(url).host } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

function connectVia(socketPath: string, authority: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath)
    let answer = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      answer += chunk
      if (answer.includes('\r\n\r\n')) {
        socket.destroy()
        resolve(answer.split('\r\n')[0] ?? '')
      }
    })
    socket.on('error', reject)
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`)
  })
}

describe('AllowlistProxy', () => {
  test('forwards allowed hosts, refuses the rest and records both', async () => {
    const socketPath = join(root, 'proxy.sock')
    const proxy = await AllowlistProxy.listen(socketPath, ['127.0.0.1'])
    try {
      const before = hits
      expect(await viaProxy(socketPath, `http://127.0.0.1:${targetPort}/x`)).toEqual({ status: 200, body: 'hello from the target\n' })
      expect(await viaProxy(socketPath, `http://localhost:${targetPort}/x`)).toEqual({ status: 403, body: 'blocked by the Tether network allowlist: localhost\n' })
      expect(await connectVia(socketPath, `127.0.0.1:${targetPort}`)).toBe('HTTP/1.1 200 Connection Established')
      expect(await connectVia(socketPath, `example.com:443`)).toBe('HTTP/1.1 403 Forbidden')
      expect(hits - before).toBe(1)
      expect(proxy.takeEvents()).toEqual([
        { host: '127.0.0.1', port: targetPort, allowed: true },
        { host: 'localhost', port: targetPort, allowed: false },
        { host: '127.0.0.1', port: targetPort, allowed: true },
        { host: 'example.com', port: 443, allowed: false }
      ])
      expect(proxy.takeEvents()).toEqual([])
    } finally {
      await proxy.close()
    }
  })

  test('a name under an allowed wildcard that resolves to this machine (DNS someone else controls) reaches nothing; a name listed exactly still does', async () => {
    const socketPath = join(root, 'rebind.sock')
    const answers: Record<string, string> = { 'rebound.example.test': '127.0.0.1', 'metadata.example.test': '169.254.169.254', 'mapped.example.test': '::ffff:127.0.0.1', 'dev.local.test': '127.0.0.1' }
    const fakeDns: HostLookup = (hostname, _options, callback) => {
      const address = answers[hostname]
      callback(null, address === undefined ? [] : [{ address, family: address.includes(':') ? 6 : 4 }])
    }
    const proxy = await AllowlistProxy.listen(socketPath, ['*.example.test', 'dev.local.test'], fakeDns)
    try {
      const before = hits
      expect(await connectVia(socketPath, `rebound.example.test:${targetPort}`)).toBe('HTTP/1.1 502 Bad Gateway')
      expect(await connectVia(socketPath, `mapped.example.test:${targetPort}`)).toBe('HTTP/1.1 502 Bad Gateway')
      expect(await connectVia(socketPath, 'metadata.example.test:80')).toBe('HTTP/1.1 502 Bad Gateway')
      expect((await viaProxy(socketPath, `http://rebound.example.test:${targetPort}/x`)).status).toBe(502)
      expect(hits - before).toBe(0)
      expect(await connectVia(socketPath, `dev.local.test:${targetPort}`)).toBe('HTTP/1.1 200 Connection Established')
      expect(proxy.takeEvents().filter((event) => !event.allowed).map((event) => event.host)).toEqual(['rebound.example.test', 'mapped.example.test', 'metadata.example.test', 'rebound.example.test'])
    } finally {
      await proxy.close()
    }
  })
})
