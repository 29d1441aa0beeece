// A hostile repository tries to freeze the host with FIFOs where git and Tether read. Every
// request to the browser-mode host, the Changes view of that repository included, is answered
// within 5 s.
import { execFileSync } from 'node:child_process'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { ServerMessage } from '../../../common/api/bridge-wire'
import { BRIDGE_PATH } from '../../../common/api/bridge-wire'
import { createHostFixture, pendingApprovalRun, RUN_ID, writeRunLog, type HostFixture } from '../../../test-support/host/host-fixture'
import { startBrowserServer, type BrowserServer } from './browser-server'

const ANSWER_WITHIN_MS = 5_000

class Client {
  private nextId = 1
  private readonly waiting = new Map<number, (message: ServerMessage) => void>()

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage
      if (message.kind === 'response') this.waiting.get(message.id)?.(message)
    })
  }

  static async connect(server: BrowserServer): Promise<Client> {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}${BRIDGE_PATH}`, { headers: { Origin: server.origin } })
    await new Promise((resolve) => socket.once('open', resolve))
    const welcome = new Promise((resolve) => socket.once('message', resolve))
    socket.send(JSON.stringify({ kind: 'hello', token: server.token }))
    await welcome
    return new Client(socket)
  }

  /** The answer and how long it took; rejects if none comes within ANSWER_WITHIN_MS. */
  async timed(method: string, params: unknown): Promise<{ message: ServerMessage; ms: number }> {
    const id = this.nextId++
    const started = performance.now()
    const answer = new Promise<ServerMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method} got no answer within ${ANSWER_WITHIN_MS} ms`)), ANSWER_WITHIN_MS)
      this.waiting.set(id, (message) => {
        clearTimeout(timer)
        resolve(message)
      })
    })
    this.socket.send(JSON.stringify({ kind: 'request', id, method, params }))
    return { message: await answer, ms: performance.now() - started }
  }

  close(): void {
    this.socket.close()
  }
}

describe('the host does not freeze on a hostile repository', () => {
  let fixture: HostFixture
  let server: BrowserServer
  let client: Client
  let repo: string

  beforeEach(async () => {
    fixture = await createHostFixture()
    repo = fixture.workspace
    execFileSync('git', ['init', '-q', repo])
    await writeFile(join(repo, 'a.txt'), 'one\n')
    execFileSync('git', ['-C', repo, 'add', '-A'])
    execFileSync('git', ['-C', repo, '-c', 'user.name=p', '-c', 'user.email=p@x', 'commit', '-qm', 'start'])
    await writeRunLog(fixture.dataDir, RUN_ID, pendingApprovalRun(repo))
    const renderer = join(fixture.folder, 'renderer')
    await mkdir(renderer)
    await writeFile(join(renderer, 'index.html'), '<!doctype html><title>Tether</title>')
    server = await startBrowserServer(fixture.host, { bindHost: '127.0.0.1', port: 0, allowRemote: false, rendererDir: renderer })
    client = await Client.connect(server)
  })

  afterEach(async () => {
    client.close()
    await server.close()
    await fixture.dispose()
  })

  /** Puts a FIFO at `relative` inside the repository (keeping what was there aside). */
  async function fifo(relative: string): Promise<void> {
    const path = join(repo, relative)
    await mkdir(join(path, '..'), { recursive: true })
    await rename(path, `${path}.aside`).catch(() => undefined)
    execFileSync('mkfifo', [path])
  }

  it.each(['.git/index', '.git/HEAD', '.git/config', '.git/packed-refs', '.git/refs/heads/trap', '.git/objects/info/alternates', '.git/commondir', '.git/info/exclude'])(
    'a FIFO at %s: the Changes view, the repository and other requests are all answered within 5 s',
    async (relative) => {
      await fifo(relative)
      const answers = await Promise.all([client.timed('getChanges', { runId: RUN_ID }), client.timed('getAppInfo', null), client.timed('openRepo', { path: repo })])
      expect(answers.map(({ message }) => message.kind === 'response' && message.ok)).toEqual([true, true, true])
      const opened = answers[2].message
      expect(opened.kind === 'response' && opened.ok && (opened.result as { git: boolean }).git).toBe(false)
    }
  )

  it.each(['.gitignore', 'sub/.gitignore', '.ignore', 'sub/.rgignore', '.git/info/exclude'])(
    'a FIFO at %s: the @ file listing is answered within 5 s, and still names the files',
    async (relative) => {
      await fifo(relative)
      const { message } = await client.timed('listWorkspaceFiles', { workspace: repo })
      expect(message.kind === 'response' && message.ok && (message.result as { files: string[] }).files.includes('a.txt')).toBe(true)
    }
  )
})
