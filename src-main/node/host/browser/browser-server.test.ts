import { mkdir, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { ServerMessage } from '../../../common/api/bridge-wire'
import { BRIDGE_PATH, CLOSE_UNAUTHORIZED } from '../../../common/api/bridge-wire'
import { CONTENT_SECURITY_POLICY } from '../csp'
import { createHostFixture, pendingApprovalRun, RUN_ID, writeRunLog, type HostFixture } from '../../../test-support/host/host-fixture'
import { RemoteBindRefused, startBrowserServer, type BrowserServer } from './browser-server'

function open(server: BrowserServer, origin: string | null): WebSocket {
  return new WebSocket(`ws://127.0.0.1:${server.port}${BRIDGE_PATH}`, origin === null ? {} : { headers: { Origin: origin } })
}

function nextMessage(socket: WebSocket): Promise<ServerMessage> {
  return new Promise((resolve, reject) => {
    socket.once('message', (data) => resolve(JSON.parse(data.toString()) as ServerMessage))
    socket.once('close', (code) => reject(new Error(`closed ${code}`)))
  })
}

function closed(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)))
}

function rejectedUpgrade(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
    socket.once('error', () => resolve(-1))
  })
}

describe('browser mode server', () => {
  let fixture: HostFixture
  let server: BrowserServer
  beforeEach(async () => {
    fixture = await createHostFixture()
    const renderer = join(fixture.folder, 'renderer')
    await mkdir(renderer)
    await writeFile(join(renderer, 'index.html'), '<!doctype html><title>Tether</title>')
    server = await startBrowserServer(fixture.host, { bindHost: '127.0.0.1', port: 0, allowRemote: false, rendererDir: renderer })
  })
  afterEach(async () => {
    await server.close()
    await fixture.dispose()
  })

  it('prints a loopback URL whose fragment carries the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`)
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('serves the page with the CSP and refuses foreign Host headers', async () => {
    const page = await fetch(`${server.origin}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(await page.text()).toContain('<title>Tether</title>')
    // A DNS-rebound page reaches the port under a foreign name; fetch cannot forge Host, so use http.
    const rebound = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port: server.port, path: '/', headers: { Host: `evil.example:${server.port}` } }, (response) => {
        response.resume()
        resolve(response.statusCode ?? 0)
      })
        .on('error', reject)
        .end()
    })
    expect(rebound).toBe(421)
    expect((await fetch(`${server.origin}/`, { method: 'POST' })).status).toBe(405)
  })

  it('answers API calls once the token is shown', async () => {
    const socket = open(server, server.origin)
    await new Promise((resolve) => socket.once('open', resolve))
    socket.send(JSON.stringify({ kind: 'hello', token: server.token }))
    expect(await nextMessage(socket)).toEqual({ kind: 'welcome' })
    socket.send(JSON.stringify({ kind: 'request', id: 1, method: 'getAppInfo', params: null }))
    expect(await nextMessage(socket)).toEqual({
      kind: 'response',
      id: 1,
      ok: true,
      result: { host: 'browser', version: '0.0.0-test', dataDir: fixture.dataDir.root, folderPicker: false, keyConfigured: false, demoAvailable: false }
    })
    socket.send(JSON.stringify({ kind: 'request', id: 2, method: 'steer', params: { runId: RUN_ID } }))
    expect(await nextMessage(socket)).toEqual({
      kind: 'response',
      id: 2,
      ok: false,
      error: { code: 'invalid_request', message: 'steer: text: Invalid input: expected string, received undefined' }
    })
    socket.send('not json')
    expect(await nextMessage(socket)).toEqual({ kind: 'response', id: -1, ok: false, error: { code: 'invalid_request', message: 'not a request message' } })
    socket.close()
  })

  it('subscribes a tab to a run and returns the state its log folds to', async () => {
    await writeRunLog(fixture.dataDir, RUN_ID, pendingApprovalRun(fixture.workspace))
    const socket = open(server, server.origin)
    await new Promise((resolve) => socket.once('open', resolve))
    socket.send(JSON.stringify({ kind: 'hello', token: server.token }))
    await nextMessage(socket)
    // Progress events of the log's fold may come before the reply: every message is kept.
    const reply = await new Promise<ServerMessage>((resolve) => {
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString()) as ServerMessage
        if (message.kind === 'response') resolve(message)
      })
      socket.send(JSON.stringify({ kind: 'request', id: 9, method: 'subscribeRun', params: { runId: RUN_ID } }))
    })
    expect(reply.kind === 'response' && reply.ok && (reply.result as { state: { approvals: object } }).state.approvals).toEqual({
      call_1: expect.objectContaining({ subject: 'rm -rf build', decision: null })
    })
    socket.close()
  })

  it('closes a socket that shows a wrong token or asks before showing one', async () => {
    const wrong = open(server, server.origin)
    await new Promise((resolve) => wrong.once('open', resolve))
    wrong.send(JSON.stringify({ kind: 'hello', token: `${server.token.slice(0, -1)}x` }))
    expect(await closed(wrong)).toBe(CLOSE_UNAUTHORIZED)
    const eager = open(server, server.origin)
    await new Promise((resolve) => eager.once('open', resolve))
    eager.send(JSON.stringify({ kind: 'request', id: 1, method: 'getSettings', params: null }))
    expect(await closed(eager)).toBe(CLOSE_UNAUTHORIZED)
  })

  it('refuses WebSockets from other origins or without one', async () => {
    expect(await rejectedUpgrade(open(server, 'https://evil.example'))).toBe(403)
    expect(await rejectedUpgrade(open(server, `http://127.0.0.1:${server.port + 1}`))).toBe(403)
    // Same machine, other name: still another origin than the page the socket is for.
    expect(await rejectedUpgrade(open(server, `http://localhost:${server.port}`))).toBe(403)
    expect(await rejectedUpgrade(open(server, null))).toBe(403)
  })

  it('refuses a non-loopback bind unless asked', async () => {
    await expect(startBrowserServer(fixture.host, { bindHost: '0.0.0.0', port: 0, allowRemote: false, rendererDir: fixture.folder })).rejects.toThrow(RemoteBindRefused)
    await expect(startBrowserServer(fixture.host, { bindHost: '192.168.1.10', port: 0, allowRemote: false, rendererDir: fixture.folder })).rejects.toThrow(
      'refusing to listen on 192.168.1.10: browser mode binds to loopback only unless --allow-remote is given'
    )
  })
})
