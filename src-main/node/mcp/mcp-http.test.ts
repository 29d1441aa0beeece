// A remote MCP server over streamable HTTP (the SDK's own server transport on a local port): its
// URL and headers come from the person's config, it runs outside the sandbox, and its tools are
// judged accordingly.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defaultMcpOptions } from './mcp-defaults'
import { McpServers } from './mcp-servers'

let http: Server | null = null
let servers: McpServers | null = null
let root = ''
const authorizations: (string | undefined)[] = []

afterEach(async () => {
  await servers?.close()
  servers = null
  await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()))
  http = null
  rmSync(root, { recursive: true, force: true })
  authorizations.length = 0
})

async function startRemote(): Promise<string> {
  http = createServer((request, response) => {
    authorizations.push(request.headers.authorization)
    // Stateless: a server and a transport per request, as the SDK's examples do.
    const mcp = new McpServer({ name: 'remote-test', version: '1.0.0' })
    mcp.registerTool('echo', { description: 'Echo a word.', inputSchema: { word: z.string() }, annotations: { readOnlyHint: true } }, async ({ word }) => ({ content: [{ type: 'text', text: `echo: ${word}` }] }))
    mcp.registerTool('file_issue', { description: 'File an issue.', inputSchema: { title: z.string() } }, async ({ title }) => ({ content: [{ type: 'text', text: `filed "${title}"` }] }))
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined })
    response.on('close', () => void transport.close())
    void mcp.connect(transport).then(() => transport.handleRequest(request, response))
  })
  await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`
}

describe('a remote MCP server over streamable HTTP', () => {
  it('lists and calls its tools with the configured headers, and marks its calls as outside the sandbox', async () => {
    mkdirSync('/var/tmp', { recursive: true })
    root = realpathSync(mkdtempSync('/var/tmp/tether-mcp-http-'))
    const url = await startRemote()
    servers = await McpServers.start(
      [{ transport: 'http', name: 'remote', source: 'personal', url, headers: { Authorization: 'Bearer remote-token' } }],
      { ...defaultMcpOptions(root, join(root, 'data'), ['shell']), scratchDir: root }
    )
    expect(servers.infos).toEqual([{ name: 'remote', source: 'personal', transport: 'http', sandboxed: false, tools: ['mcp__remote__echo', 'mcp__remote__file_issue'], problem: null }])
    const result = await servers.execute('mcp__remote__echo', 'call_1', '{"word":"hi"}', null)
    expect({ status: result.status, output: result.output }).toEqual({ status: 'ok', output: 'echo: hi' })
    expect(new Set(authorizations)).toEqual(new Set(['Bearer remote-token']))
    const fileIssue = servers.tools().find((tool) => tool.name === 'mcp__remote__file_issue')!
    expect(fileIssue.prepare({ title: 'x' })).toMatchObject({ ok: true, subject: { kind: 'mcp', server: 'remote', tool: 'file_issue', readOnly: false, sandboxed: false } })
  })
})
