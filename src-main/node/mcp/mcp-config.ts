// MCP server configuration in the `.mcp.json` shape other agents use:
//   {"mcpServers": {"NAME": {"command", "args", "env"} | {"type": "http", "url", "headers"}}}
// plus two Tether fields for stdio servers, `allowedHosts`: the hosts the sandboxed server may
// reach (none by default), and `readablePaths`: folders or files outside the workspace it may read
// (its own install folder; only in the person's own config). Fields other agents add (`disabled`, `timeout`, ...) are ignored,
// except `disabled: true`, which leaves the server out. A bad entry is reported by name and the
// others still load.
import { isAbsolute } from 'node:path'
import { z } from 'zod'
import { escapeForDisplay, HIDDEN_CHARACTER } from '../../common/text/display-text'
import { invalidAllowlistEntries } from '../tools/sandbox/network-allowlist'

export type McpConfigSource = 'personal' | 'workspace'

export interface StdioServerConfig {
  transport: 'stdio'
  name: string
  source: McpConfigSource
  command: string
  args: string[]
  env: Record<string, string>
  allowedHosts: string[]
  /** Absolute host paths the sandboxed server sees read-only (Tether's data dir stays hidden). */
  readablePaths: string[]
}

export interface HttpServerConfig {
  transport: 'http'
  name: string
  source: McpConfigSource
  url: string
  headers: Record<string, string>
}

export type McpServerConfig = StdioServerConfig | HttpServerConfig

export interface ParsedMcpConfig {
  servers: McpServerConfig[]
  /** One line per entry (or for the whole file) that could not be used. */
  problems: string[]
}

const MAX_SERVERS = 64
const stringMap = z.record(z.string(), z.string())

const stdioEntry = z.looseObject({
  type: z.literal('stdio').optional(),
  command: z.string().min(1),
  args: z.array(z.string()).optional(),
  env: stringMap.optional(),
  allowedHosts: z.array(z.string()).optional(),
  readablePaths: z.array(z.string()).optional(),
  disabled: z.boolean().optional()
})

const httpEntry = z.looseObject({
  type: z.enum(['http', 'streamable-http']),
  url: z.string().min(1),
  headers: stringMap.optional(),
  disabled: z.boolean().optional()
})

const fileShape = z.looseObject({ mcpServers: z.record(z.string(), z.unknown()) })

function entryProblem(name: string, error: z.ZodError): string {
  return `MCP server "${name}": ${z.prettifyError(error).replaceAll('\n', ' ')}`
}

function parseEntry(name: string, value: unknown, source: McpConfigSource): McpServerConfig | string | null {
  if (name.length === 0 || name.length > 64 || /[\s]/u.test(name) || HIDDEN_CHARACTER.test(name)) {
    return `an MCP server name must be 1 to 64 visible characters without spaces (${escapeForDisplay(JSON.stringify(name.slice(0, 80)))})`
  }
  const type = (value as { type?: unknown } | null)?.type
  if (type === 'sse') return `MCP server "${name}": the legacy SSE transport is not supported; use "type": "http" (streamable HTTP)`
  if (type === 'http' || type === 'streamable-http') {
    const parsed = httpEntry.safeParse(value)
    if (!parsed.success) return entryProblem(name, parsed.error)
    if (parsed.data.disabled === true) return null
    let url: URL
    try {
      url = new URL(parsed.data.url)
    } catch {
      return `MCP server "${name}": "${parsed.data.url}" is not a URL`
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return `MCP server "${name}": the URL must be http: or https:, not ${url.protocol}`
    return { transport: 'http', name, source, url: url.toString(), headers: parsed.data.headers ?? {} }
  }
  const parsed = stdioEntry.safeParse(value)
  if (!parsed.success) return entryProblem(name, parsed.error)
  if (parsed.data.disabled === true) return null
  const allowedHosts = parsed.data.allowedHosts ?? []
  const invalid = invalidAllowlistEntries(allowedHosts)
  if (invalid.length > 0) return `MCP server "${name}": allowedHosts: ${invalid.join('; ')}`
  const readablePaths = parsed.data.readablePaths ?? []
  // A repository must not widen what a server it brings can read on the person's machine.
  if (readablePaths.length > 0 && source === 'workspace') return `MCP server "${name}": readablePaths is only honoured in your own MCP config, not in a repository's`
  const notAbsolute = readablePaths.filter((path) => !isAbsolute(path) || path.includes('\0'))
  if (notAbsolute.length > 0) return `MCP server "${name}": readablePaths must be absolute paths (${escapeForDisplay(notAbsolute.map((path) => JSON.stringify(path)).join(', '))})`
  return { transport: 'stdio', name, source, command: parsed.data.command, args: parsed.data.args ?? [], env: parsed.data.env ?? {}, allowedHosts, readablePaths }
}

/** Parses the text of a config file; never throws. */
export function parseMcpConfig(text: string, source: McpConfigSource, label: string): ParsedMcpConfig {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return { servers: [], problems: [`${label} is not valid JSON (${(error as Error).message})`] }
  }
  const file = fileShape.safeParse(json)
  if (!file.success) return { servers: [], problems: [`${label} has no "mcpServers" object`] }
  const entries = Object.entries(file.data.mcpServers)
  const problems: string[] = []
  if (entries.length > MAX_SERVERS) problems.push(`${label} names ${entries.length} servers; only the first ${MAX_SERVERS} are used`)
  const servers: McpServerConfig[] = []
  for (const [name, value] of entries.slice(0, MAX_SERVERS)) {
    const entry = parseEntry(name, value, source)
    if (typeof entry === 'string') problems.push(`${label}: ${entry}`)
    else if (entry !== null) servers.push(entry)
  }
  return { servers, problems }
}

/** The person's servers win over a workspace server of the same name. */
export function mergeMcpConfigs(personal: ParsedMcpConfig, workspace: ParsedMcpConfig | null): ParsedMcpConfig {
  const names = new Set(personal.servers.map((server) => server.name))
  const fromWorkspace = workspace?.servers ?? []
  const shadowed = fromWorkspace.filter((server) => names.has(server.name))
  return {
    servers: [...personal.servers, ...fromWorkspace.filter((server) => !names.has(server.name))],
    problems: [
      ...personal.problems,
      ...(workspace?.problems ?? []),
      ...shadowed.map((server) => `the workspace's MCP server "${server.name}" is not used: your own server of that name is`)
    ]
  }
}

/** What the person approves for a workspace file: every command line and URL it would start or reach. */
export function describeServer(server: McpServerConfig): string {
  if (server.transport === 'http') return escapeForDisplay(`${server.name}: ${server.url}`)
  const hosts = server.allowedHosts.length > 0 ? ` (network: ${server.allowedHosts.join(', ')})` : ''
  const reads = server.readablePaths.length > 0 ? ` (reads: ${server.readablePaths.join(', ')})` : ''
  const env = Object.keys(server.env)
  return escapeForDisplay(`${server.name}: ${[server.command, ...server.args].map((word) => JSON.stringify(word)).join(' ')}${env.length > 0 ? ` with ${env.map((key) => JSON.stringify(key)).join(', ')} set` : ''}${hosts}${reads}`)
}
