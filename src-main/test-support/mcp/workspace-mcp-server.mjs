// An MCP server for the tests, written with the official SDK and run as a real stdio process
// (inside Tether's sandbox in the tests): a read-only tool, a writing tool, a tool that tries the
// network, and one that makes the server exit mid-call.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { dirname, resolve } from 'node:path'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { z } from 'zod'

const server = new McpServer({ name: 'workspace-test-server', version: '1.0.0' })
const text = (value) => ({ content: [{ type: 'text', text: value }] })

server.registerTool(
  'read_note',
  { description: 'Read a text file, relative to the working directory.', inputSchema: { path: z.string() }, annotations: { readOnlyHint: true } },
  async ({ path }) => text(readFileSync(resolve(path), 'utf8'))
)

server.registerTool(
  'write_note',
  { description: 'Write a text file (any path; the sandbox decides what may be written).', inputSchema: { path: z.string(), text: z.string() } },
  async ({ path, text: content }) => {
    try {
      mkdirSync(dirname(resolve(path)), { recursive: true })
      writeFileSync(resolve(path), content)
      return text(`wrote ${Buffer.byteLength(content)} bytes to ${path}`)
    } catch (error) {
      return { content: [{ type: 'text', text: `could not write ${path}: ${error.code ?? error.message}` }], isError: true }
    }
  }
)

server.registerTool(
  'fetch_url',
  { description: 'GET an http:// URL directly (no proxy) and return the status.', inputSchema: { url: z.string() }, annotations: { readOnlyHint: true } },
  async ({ url }) =>
    new Promise((done) => {
      const req = request(url, { timeout: 3000 }, (res) => {
        res.resume()
        done(text(`status ${res.statusCode}`))
      })
      req.on('timeout', () => req.destroy(new Error('timeout')))
      req.on('error', (error) => done({ content: [{ type: 'text', text: `network error: ${error.code ?? error.message}` }], isError: true }))
      req.end()
    })
)

server.registerTool(
  'fetch_via_proxy',
  { description: 'GET an http:// URL through the proxy in HTTP_PROXY and return the status.', inputSchema: { url: z.string() }, annotations: { readOnlyHint: true } },
  async ({ url }) =>
    new Promise((done) => {
      const proxy = process.env.HTTP_PROXY
      if (!proxy) return done({ content: [{ type: 'text', text: 'no proxy configured' }], isError: true })
      const { hostname, port } = new URL(proxy)
      const req = request({ host: hostname, port, path: url, timeout: 3000, headers: { host: new URL(url).host } }, (res) => {
        res.resume()
        done(text(`status ${res.statusCode}`))
      })
      req.on('timeout', () => req.destroy(new Error('timeout')))
      req.on('error', (error) => done({ content: [{ type: 'text', text: `network error: ${error.code ?? error.message}` }], isError: true }))
      req.end()
    })
)

server.registerTool(
  'big_output',
  { description: 'Return a long text.', inputSchema: { lines: z.number().int() }, annotations: { readOnlyHint: true } },
  async ({ lines }) => text(Array.from({ length: lines }, (_, index) => `line ${index + 1} of the big output`).join('\n'))
)

server.registerTool(
  'crash',
  { description: 'Exit the server process while answering.', inputSchema: {} },
  async () => {
    process.stderr.write('crashing on purpose\n')
    process.exit(3)
  }
)

server.registerTool(
  'pid',
  { description: 'The server process id.', inputSchema: {}, annotations: { readOnlyHint: true } },
  async () => text(String(process.pid))
)

await server.connect(new StdioServerTransport())
