// The MCP servers of one run: started together before the run's first request (their tools are
// part of every request), each tool offered as a function named `mcp__SERVER__TOOL`, calls routed
// to their server, and all of them stopped with the run. A server that cannot start is reported
// and left out; the others and the run go on.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { McpServerInfo } from '../../common/run/records'
import type { ToolCallResult } from '../tools/tool-runtime'
import { jsonSchemaArguments, type ArgumentSchema } from '../tools/registry/argument-schema'
import { defineTool, type Tool } from '../tools/registry/define-tool'
import type { McpServerConfig } from './mcp-config'
import { McpConnection, type McpConnectionOptions, type McpToolInfo } from './mcp-connection'
import { fitsStrictMode } from './strict-schema'
import { boundResult, resultText } from './tool-result'
import type { ServerSandboxOptions } from './server-sandbox'
import { removePlaceholders, type WorkspaceProtection } from '../tools/sandbox/workspace-protection'
import { assignToolNames } from './tool-names'

export interface McpServersOptions extends Omit<McpConnectionOptions, 'sandbox'> {
  workspace: string
  /** A directory outside the workspace for the servers' private /tmp and control files. */
  scratchDir: string
  /** How the servers' sandbox is built, apart from what is per server. */
  sandbox: Omit<ServerSandboxOptions, 'workspace' | 'scratchDir' | 'placeholders'>
  /** Names the built-in tools use, which an MCP tool never takes. */
  reservedNames: ReadonlySet<string>
  callTimeoutMs: number
}

interface Route {
  connection: McpConnection
  tool: McpToolInfo
}

function emptySchema(schema: Record<string, unknown>): Record<string, unknown> {
  // The API requires an object schema; a tool without parameters still gets one.
  return schema.type === 'object' ? schema : { type: 'object', properties: {}, additionalProperties: false }
}

export class McpServers {
  #connections: McpConnection[]
  #routes: Map<string, Route>
  #infos: McpServerInfo[]
  #scratch: string
  #placeholders: WorkspaceProtection['placeholders']
  #callTimeoutMs: number

  private constructor(
    connections: McpConnection[],
    routes: Map<string, Route>,
    infos: McpServerInfo[],
    scratch: string,
    placeholders: WorkspaceProtection['placeholders'],
    callTimeoutMs: number
  ) {
    this.#connections = connections
    this.#routes = routes
    this.#infos = infos
    this.#scratch = scratch
    this.#placeholders = placeholders
    this.#callTimeoutMs = callTimeoutMs
  }

  static async start(configs: readonly McpServerConfig[], options: McpServersOptions): Promise<McpServers> {
    mkdirSync(options.scratchDir, { recursive: true })
    const scratch = mkdtempSync(join(options.scratchDir, 'tether-mcp-'))
    const placeholders: WorkspaceProtection['placeholders'] = []
    const started = await Promise.all(
      configs.map(async (config, index) => {
        try {
          const connection = await McpConnection.start(config, {
            ...options,
            sandbox: { ...options.sandbox, workspace: options.workspace, scratchDir: join(scratch, `server-${index}`), placeholders }
          })
          return { config, connection, problem: null }
        } catch (error) {
          return { config, connection: null, problem: `it could not start: ${(error as Error).message}` }
        }
      })
    )
    const connections = started.flatMap((entry) => (entry.connection === null ? [] : [entry.connection]))
    const names = assignToolNames(
      connections.flatMap((connection) => connection.tools.map((tool) => ({ server: connection.config.name, tool: tool.name }))),
      options.reservedNames
    )
    const routes = new Map<string, Route>()
    for (const [name, { server, tool }] of names) {
      const connection = connections.find((candidate) => candidate.config.name === server)
      const info = connection?.tools.find((candidate) => candidate.name === tool)
      if (connection && info) routes.set(name, { connection, tool: info })
    }
    const infos = started.map(({ config, problem }): McpServerInfo => ({
      name: config.name,
      source: config.source,
      transport: config.transport,
      sandboxed: config.transport === 'stdio',
      tools: [...routes].filter(([, route]) => route.connection.config === config).map(([name]) => name),
      problem
    }))
    return new McpServers(connections, routes, infos, scratch, placeholders, options.callTimeoutMs)
  }

  get infos(): McpServerInfo[] {
    return this.#infos
  }

  connection(server: string): McpConnection | null {
    return this.#connections.find((connection) => connection.config.name === server) ?? null
  }

  /** The run's MCP tools, for its registry: checked against their servers' schemas, judged as `mcp` calls, durable like any call with an effect. */
  tools(): Tool[] {
    return [...this.#routes].map(([name, { connection, tool }]) => {
      const parameters = emptySchema(tool.inputSchema)
      const server = connection.config
      return defineTool<Record<string, unknown>>({
        name,
        description: `${tool.description}${tool.description ? '\n\n' : ''}(Tool "${tool.name}" of the MCP server "${server.name}".)`,
        schema: argumentsOf(parameters),
        strict: fitsStrictMode(parameters),
        classify: (args) => ({ kind: 'mcp', server: server.name, tool: tool.name, arguments: JSON.stringify(args), readOnly: tool.readOnly, sandboxed: server.transport === 'stdio' }),
        // A server's read-only hint is its own claim: a call is never run twice on its word.
        durability: 'effectful',
        run: async () => ({
          outcome: { status: 'error', exitCode: null, output: `the tool ${name} belongs to an MCP server of the app, not to the tool host`, artifactPath: null },
          queuedMs: 0
        }),
        render: { labelArgument: null, prefixName: false }
      })
    })
  }

  has(name: string): boolean {
    return this.#routes.has(name)
  }

  async execute(name: string, callId: string, rawArguments: string, artifactsDir: string | null, signal?: AbortSignal): Promise<ToolCallResult> {
    const startedAt = performance.now()
    const done = (status: ToolCallResult['status'], output: string, artifactPath: string | null = null): ToolCallResult => ({
      status,
      exitCode: null,
      output,
      artifactPath,
      durationMs: Math.round((performance.now() - startedAt) * 100) / 100,
      hostWaitMs: 0
    })
    const route = this.#routes.get(name)
    if (!route) return done('error', `unknown tool '${name}'`)
    const args = parseArguments(rawArguments)
    if (typeof args === 'string') return done('error', args)
    const outcome = await route.connection.call(route.tool.name, args, this.#callTimeoutMs, signal)
    if (outcome.kind === 'error') return done(outcome.status, outcome.message)
    const bounded = boundResult(resultText(outcome.result), artifactsDir, callId)
    return done(outcome.result.isError === true ? 'error' : 'ok', bounded.output, bounded.artifactPath)
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#connections.map((connection) => connection.close()))
    removePlaceholders(this.#placeholders.splice(0) as never)
    rmSync(this.#scratch, { recursive: true, force: true })
  }
}

/** The server's schema checks the arguments where zod can read it; otherwise the server itself is the check. */
function argumentsOf(schema: Record<string, unknown>): ArgumentSchema<Record<string, unknown>> {
  try {
    return jsonSchemaArguments(schema)
  } catch {
    return {
      jsonSchema: schema,
      check: (value) =>
        typeof value === 'object' && value !== null && !Array.isArray(value) ? { ok: true, args: value as Record<string, unknown> } : { ok: false, message: 'arguments must be a JSON object' }
    }
  }
}

function parseArguments(rawArguments: string): Record<string, unknown> | string {
  let value: unknown
  try {
    value = JSON.parse(rawArguments.trim() === '' ? '{}' : rawArguments)
  } catch (error) {
    return `arguments are not valid JSON (${(error as Error).message})`
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'arguments must be a JSON object'
  return value as Record<string, unknown>
}
