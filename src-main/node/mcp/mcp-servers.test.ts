// The test server (written with the SDK) as a real process inside the sandbox: its tools come
// back as function tools, it reads and writes the workspace, and it can neither write outside the
// workspace nor reach the network, judged by the effect on the host.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StdioServerConfig } from './mcp-config'
import { defaultMcpOptions } from './mcp-defaults'
import { McpServers } from './mcp-servers'

const SERVER_SCRIPT = join(import.meta.dirname, '../../test-support/mcp/workspace-mcp-server.mjs')
// The server's own files (its script and the SDK in node_modules), shown to it wherever the
// project is checked out, /tmp and home included.
const PROJECT_ROOT = realpathSync(join(import.meta.dirname, '../../..'))

let root = ''
let workspace = ''
let outside = ''
let dataDir = ''
let home = ''
let servers: McpServers | null = null

beforeEach(() => {
  // Under /var/tmp: inside the sandbox /tmp is private, so "outside the workspace" must be elsewhere.
  mkdirSync('/var/tmp', { recursive: true })
  root = realpathSync(mkdtempSync('/var/tmp/tether-mcp-test-'))
  workspace = join(root, 'repo')
  outside = join(root, 'outside')
  dataDir = join(root, 'data')
  home = join(root, 'home')
  for (const dir of [workspace, outside, dataDir, home, join(home, '.ssh')]) mkdirSync(dir)
  writeFileSync(join(home, '.ssh', 'id_rsa'), 'PRIVATE KEY\n')
  writeFileSync(join(workspace, 'notes.txt'), 'remember the milk\n')
  writeFileSync(join(dataDir, 'keys.json'), '{"openai":"sk-secret-key"}\n')
})

afterEach(async () => {
  await servers?.close()
  servers = null
  rmSync(root, { recursive: true, force: true })
})

function testServer(overrides: Partial<StdioServerConfig> = {}): StdioServerConfig {
  return { transport: 'stdio', name: 'notes', source: 'personal', command: process.execPath, args: [SERVER_SCRIPT], env: {}, allowedHosts: [], readablePaths: [PROJECT_ROOT], ...overrides }
}

async function start(configs: StdioServerConfig[], overrides: Partial<ReturnType<typeof defaultMcpOptions>> = {}): Promise<McpServers> {
  const defaults = defaultMcpOptions(workspace, dataDir, ['shell', 'read_file'])
  servers = await McpServers.start(configs, { ...defaults, sandbox: { ...defaults.sandbox, home }, scratchDir: root, ...overrides })
  return servers
}

async function call(name: string, args: Record<string, unknown>): Promise<{ status: string; output: string }> {
  const result = await servers!.execute(name, `call_${name}`, JSON.stringify(args), join(root, 'artifacts'))
  return { status: result.status, output: result.output }
}

describe('MCP servers in the sandbox', () => {
  it('offers each tool as mcp__SERVER__TOOL with its schema, strict only where the schema allows', async () => {
    const mcp = await start([testServer()])
    expect(mcp.infos).toEqual([
      {
        name: 'notes',
        source: 'personal',
        transport: 'stdio',
        sandboxed: true,
        tools: ['mcp__notes__read_note', 'mcp__notes__write_note', 'mcp__notes__fetch_url', 'mcp__notes__fetch_via_proxy', 'mcp__notes__big_output', 'mcp__notes__crash', 'mcp__notes__pid'],
        problem: null
      }
    ])
    const tools = mcp.tools()
    const read = tools.find((tool) => tool.name === 'mcp__notes__read_note')?.definition
    expect(read).toEqual({
      type: 'function',
      name: 'mcp__notes__read_note',
      description: 'Read a text file, relative to the working directory.\n\n(Tool "read_note" of the MCP server "notes".)',
      // The SDK's schemas leave additional properties open, which strict mode does not accept.
      strict: false,
      parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'], $schema: 'http://json-schema.org/draft-07/schema#' }
    })
    const write = tools.find((tool) => tool.name === 'mcp__notes__write_note')!
    expect(write.durability).toBe('effectful')
    expect(write.prepare({ path: 'a', text: 'b' })).toMatchObject({ ok: true, subject: {
      kind: 'mcp',
      server: 'notes',
      tool: 'write_note',
      arguments: '{"path":"a","text":"b"}',
      readOnly: false,
      sandboxed: true
    } })
    // The server's schema is checked before anything is asked or run.
    expect(write.prepare({ path: 'a' })).toMatchObject({ ok: false, message: expect.stringMatching(/^invalid arguments for mcp__notes__write_note: /) })
    expect(tools.find((tool) => tool.name === 'mcp__notes__read_note')!.prepare({ path: 'x' })).toMatchObject({ ok: true, subject: { kind: 'mcp', readOnly: true } })
  })

  it('reads and writes the workspace, but cannot write outside it or read hidden secrets', async () => {
    await start([testServer()])
    expect(await call('mcp__notes__read_note', { path: 'notes.txt' })).toEqual({ status: 'ok', output: 'remember the milk\n' })
    expect(await call('mcp__notes__write_note', { path: 'out/result.txt', text: 'hello' })).toEqual({ status: 'ok', output: 'wrote 5 bytes to out/result.txt' })
    expect(readFileSync(join(workspace, 'out/result.txt'), 'utf8')).toBe('hello')

    const escape = await call('mcp__notes__write_note', { path: join(outside, 'escaped.txt'), text: 'pwned' })
    expect(escape).toEqual({ status: 'error', output: `could not write ${join(outside, 'escaped.txt')}: EROFS` })
    expect(existsSync(join(outside, 'escaped.txt'))).toBe(false)
    const dataWrite = await call('mcp__notes__write_note', { path: join(dataDir, 'rules', 'x.json'), text: '{}' })
    expect(dataWrite.status).toBe('error')
    expect(existsSync(join(dataDir, 'rules'))).toBe(false)
    const secret = await call('mcp__notes__read_note', { path: join(dataDir, 'keys.json') })
    expect(secret.output).not.toContain('sk-secret-key')
    const key = await call('mcp__notes__read_note', { path: join(home, '.ssh', 'id_rsa') })
    expect(key.output).not.toContain('PRIVATE KEY')
  })

  it('reads the folders its config makes readable, and nothing more: the home and the data dir stay hidden', async () => {
    const tools = join(home, 'tools')
    mkdirSync(tools)
    writeFileSync(join(tools, 'settings.txt'), 'server settings\n')
    // The whole test folder, which holds the home and the data dir, made readable as well.
    await start([testServer({ readablePaths: [PROJECT_ROOT, tools, root] })])
    expect(await call('mcp__notes__read_note', { path: join(tools, 'settings.txt') })).toEqual({ status: 'ok', output: 'server settings\n' })
    const written = await call('mcp__notes__write_note', { path: join(tools, 'planted.txt'), text: 'x' })
    expect({ status: written.status, planted: existsSync(join(tools, 'planted.txt')) }).toEqual({ status: 'error', planted: false })
    expect((await call('mcp__notes__read_note', { path: join(dataDir, 'keys.json') })).output).not.toContain('sk-secret-key')
    expect((await call('mcp__notes__read_note', { path: join(home, '.ssh', 'id_rsa') })).output).not.toContain('PRIVATE KEY')
    await servers!.close()
    await start([testServer()])
    expect((await call('mcp__notes__read_note', { path: join(tools, 'settings.txt') })).status).toBe('error')
    expect((await call('mcp__notes__read_note', { path: join(home, '.ssh', 'id_rsa') })).output).not.toContain('PRIVATE KEY')
  })

  it('refuses readablePaths that lead into the workspace, where a run can point them at the home', async () => {
    // The person lists a folder that is, or links to, a folder of the repository; a run then makes
    // that folder a link to ~/.ssh.
    symlinkSync(join(home, '.ssh'), join(workspace, 'tools'))
    symlinkSync(join(workspace, 'tools'), join(outside, 'server-tools'))
    const mcp = await start([testServer({ name: 'direct', readablePaths: [PROJECT_ROOT, join(workspace, 'tools')] }), testServer({ name: 'linked', readablePaths: [PROJECT_ROOT, join(outside, 'server-tools')] }), testServer()])
    expect(mcp.infos.map((info) => [info.name, info.tools.length, info.problem])).toEqual([
      ['direct', 0, `it could not start: readablePaths may not lead into the workspace, which a run can change: ${join(workspace, 'tools')}`],
      ['linked', 0, `it could not start: readablePaths may not lead into the workspace, which a run can change: ${join(outside, 'server-tools')}`],
      ['notes', 7, null]
    ])
    expect((await call('mcp__notes__read_note', { path: join(home, '.ssh', 'id_rsa') })).output).not.toContain('PRIVATE KEY')
  })

  it('cannot reach the network, not even a server on the host loopback', async () => {
    let hits = 0
    const host: Server = createServer((_, res) => {
      hits++
      res.end('hi')
    })
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve))
    try {
      await start([testServer()])
      const url = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`
      const result = await call('mcp__notes__fetch_url', { url })
      expect(result.status).toBe('error')
      expect(result.output).toMatch(/^network error: (ECONNREFUSED|ENETUNREACH|EAI_AGAIN)/)
      expect(hits).toBe(0)
    } finally {
      await new Promise<void>((resolve) => host.close(() => resolve()))
    }
  })

  it('reaches only the hosts its config allows, through the allowlist proxy', async () => {
    let hits = 0
    const host: Server = createServer((_, res) => {
      hits++
      res.end('hi')
    })
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve))
    try {
      await start([testServer({ allowedHosts: ['127.0.0.1'] })])
      const port = (host.address() as AddressInfo).port
      expect(await call('mcp__notes__fetch_via_proxy', { url: `http://127.0.0.1:${port}/` })).toEqual({ status: 'ok', output: 'status 200' })
      expect(hits).toBe(1)
      expect(await call('mcp__notes__fetch_via_proxy', { url: `http://localhost:${port}/` })).toEqual({ status: 'ok', output: 'status 403' })
      const direct = await call('mcp__notes__fetch_url', { url: `http://127.0.0.1:${port}/` })
      expect(direct.status).toBe('error')
      expect(hits).toBe(1)
    } finally {
      await new Promise<void>((resolve) => host.close(() => resolve()))
    }
  })

  it('bounds a long result like shell output and keeps the whole of it in an artifact', async () => {
    await start([testServer()])
    const result = await servers!.execute('mcp__notes__big_output', 'call_big', '{"lines":100000}', join(root, 'artifacts'))
    expect(result.status).toBe('ok')
    expect(result.artifactPath).toBe(join(root, 'artifacts', 'call_big.txt'))
    expect(result.output.length).toBeLessThan(20_000)
    expect(result.output).toContain(`bytes in `)
    expect(result.output).toContain(`the full output is in ${result.artifactPath}`)
    expect(result.output.endsWith('line 100000 of the big output')).toBe(true)
    expect(readFileSync(result.artifactPath!, 'utf8').split('\n')).toHaveLength(100_000)
  })

  it('fails the call in flight when the server dies, restarts it with backoff, and the next call works', async () => {
    const mcp = await start([testServer()], { backoff: { baseMs: 10, capMs: 50, random: () => 1 } })
    const before = mcp.connection('notes')!.pid
    const crashed = await call('mcp__notes__crash', {})
    expect(crashed.status).toBe('error')
    expect(crashed.output).toMatch(/^the MCP server "notes" exited while this call ran, so its effect is unknown; it is being restarted/)
    const after = await call('mcp__notes__read_note', { path: 'notes.txt' })
    expect(after).toEqual({ status: 'ok', output: 'remember the milk\n' })
    expect(mcp.connection('notes')!.pid).not.toBe(before)
  })

  it('gives a server up after repeated exits, and says why', async () => {
    const mcp = await start([testServer()], { backoff: { baseMs: 1, capMs: 5, random: () => 1 }, maxRestarts: 2 })
    for (let attempt = 0; attempt < 3; attempt++) await call('mcp__notes__crash', {})
    const refused = await call('mcp__notes__pid', {})
    expect(refused.status).toBe('error')
    expect(refused.output).toMatch(/^the MCP server "notes" is not available: it exited 3 times in a row without a successful call, so it was given up/)
    expect(mcp.connection('notes')!.state).toBe('failed')
  })

  it('reports a server that cannot start and keeps the others', async () => {
    const mcp = await start([testServer({ name: 'broken', command: '/nonexistent/server' }), testServer()])
    expect(mcp.infos.map((info) => [info.name, info.tools.length, info.problem?.slice(0, 20) ?? null])).toEqual([
      ['broken', 0, 'it could not start: '],
      ['notes', 7, null]
    ])
  })
})
