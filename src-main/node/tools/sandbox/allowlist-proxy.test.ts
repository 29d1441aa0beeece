import { once } from 'node:events'
import { createServer, request, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { removeScratch, scratchDir } from '../../../test-support/tools/scratch'
import { AllowlistProxy } from './allowlist-proxy'

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
})
