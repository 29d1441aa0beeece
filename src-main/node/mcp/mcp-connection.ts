// One MCP server for one run, through the official SDK client: started (in the sandbox for a
// stdio server), its tools listed, its calls made with a timeout and the run's interrupt. A server
// that exits is restarted with capped exponential backoff; calls in flight when it went away fail
// with a clear message (their effect is unknown, so they are never re-sent), and calls made while
// it restarts wait for it within their own timeout.
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { backoffDelayMs, sleep, type BackoffPolicy } from '../driver/backoff'
import type { McpServerConfig } from './mcp-config'
import { sandboxedLaunch, type ServerLaunch, type ServerSandboxOptions } from './server-sandbox'

export interface McpToolInfo {
  name: string
  description: string
  inputSchema: Record<string, unknown>
  /** The server's `readOnlyHint` annotation: a hint, trusted only to skip the question in the default mode. */
  readOnly: boolean
}

export interface McpConnectionOptions {
  /** Where a stdio server's sandbox is built; `scratchDir` is this server's own. */
  sandbox: ServerSandboxOptions
  clientVersion: string
  /** Time for start-up (initialize and the tool list). */
  startTimeoutMs: number
  backoff: BackoffPolicy
  /** Consecutive exits without a successful call before the server is given up. */
  maxRestarts: number
  /** A single JSON-RPC message from a stdio server larger than this closes it. */
  maxMessageBytes: number
}

export type McpCallOutcome =
  | { kind: 'result'; result: CallToolResult }
  | { kind: 'error'; message: string; status: 'error' | 'timeout' | 'interrupted' }

const STDERR_TAIL_CHARS = 2000
const MAX_TOOLS = 256

type State = 'ready' | 'restarting' | 'failed' | 'closed'

export class McpConnection {
  readonly config: McpServerConfig
  #options: McpConnectionOptions
  #client: Client | null = null
  #launch: ServerLaunch | null = null
  #tools: McpToolInfo[] = []
  #state: State = 'ready'
  #exits = 0
  #restarting: Promise<void> | null = null
  #stderrTail = ''
  #lastProblem: string | null = null

  private constructor(config: McpServerConfig, options: McpConnectionOptions) {
    this.config = config
    this.#options = options
  }

  /** Starts the server and lists its tools; rejects with why it could not. */
  static async start(config: McpServerConfig, options: McpConnectionOptions): Promise<McpConnection> {
    const connection = new McpConnection(config, options)
    await connection.#connect()
    return connection
  }

  get tools(): readonly McpToolInfo[] {
    return this.#tools
  }

  /** The server's process id while a stdio server runs (tests and diagnostics). */
  get pid(): number | null {
    const transport = this.#client?.transport
    return transport instanceof StdioClientTransport ? transport.pid : null
  }

  get state(): State {
    return this.#state
  }

  async call(tool: string, args: Record<string, unknown>, timeoutMs: number, signal?: AbortSignal): Promise<McpCallOutcome> {
    const deadline = Date.now() + timeoutMs
    if (this.#state === 'restarting' && this.#restarting) {
      const waited = await this.#wait(this.#restarting, timeoutMs, signal)
      if (waited !== null) return waited
    }
    const client = this.#client
    if (this.#state === 'closed') return { kind: 'error', status: 'error', message: `the MCP server "${this.config.name}" was closed with the run` }
    if (this.#state !== 'ready' || client === null) {
      return { kind: 'error', status: 'error', message: `the MCP server "${this.config.name}" is not available: ${this.#lastProblem ?? 'it stopped'}` }
    }
    try {
      const result = (await client.callTool({ name: tool, arguments: args }, undefined, {
        timeout: Math.max(1, deadline - Date.now()),
        signal
      })) as CallToolResult
      this.#exits = 0
      return { kind: 'result', result }
    } catch (error) {
      if (signal?.aborted) return { kind: 'error', status: 'interrupted', message: 'interrupted; the MCP server was told to cancel the call' }
      const message = (error as Error).message
      if (client !== this.#client || this.#state !== 'ready') {
        return {
          kind: 'error',
          status: 'error',
          message: `the MCP server "${this.config.name}" exited while this call ran, so its effect is unknown; it is being restarted${this.#stderrNote()}`
        }
      }
      if (/timed out/i.test(message)) return { kind: 'error', status: 'timeout', message: `the MCP server did not answer within ${timeoutMs.toLocaleString('en-US')} ms` }
      return { kind: 'error', status: 'error', message: `the MCP server "${this.config.name}" refused the call: ${message}` }
    }
  }

  async close(): Promise<void> {
    this.#state = 'closed'
    const client = this.#client
    this.#client = null
    await client?.close().catch(() => undefined)
    await this.#launch?.release()
    this.#launch = null
  }

  async #connect(): Promise<void> {
    const transport = await this.#transport()
    const client = new Client({ name: 'tether', version: this.#options.clientVersion }, { capabilities: {} })
    try {
      await client.connect(transport, { timeout: this.#options.startTimeoutMs })
      this.#tools = await this.#listTools(client)
    } catch (error) {
      await client.close().catch(() => undefined)
      await this.#launch?.release()
      this.#launch = null
      throw new Error(`${(error as Error).message}${this.#stderrNote()}`)
    }
    client.onclose = () => this.#onExit(client)
    this.#client = client
    this.#state = 'ready'
  }

  async #transport(): Promise<Transport> {
    const config = this.config
    if (config.transport === 'http') {
      return new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers: config.headers, redirect: 'error' } })
    }
    await this.#launch?.release()
    this.#launch = await sandboxedLaunch(config, this.#options.sandbox)
    const transport = new StdioClientTransport({ ...this.#launch, stderr: 'pipe', maxBufferSize: this.#options.maxMessageBytes })
    this.#stderrTail = ''
    transport.stderr?.on('data', (chunk: Buffer) => {
      this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS)
    })
    return transport
  }

  async #listTools(client: Client): Promise<McpToolInfo[]> {
    const tools: McpToolInfo[] = []
    let cursor: string | undefined
    do {
      const page = await client.listTools(cursor === undefined ? undefined : { cursor }, { timeout: this.#options.startTimeoutMs })
      for (const tool of page.tools) {
        tools.push({
          name: tool.name,
          description: (tool.description ?? tool.title ?? '').slice(0, 4000),
          inputSchema: tool.inputSchema as Record<string, unknown>,
          readOnly: tool.annotations?.readOnlyHint === true
        })
      }
      cursor = page.nextCursor
    } while (cursor !== undefined && tools.length < MAX_TOOLS)
    return tools.slice(0, MAX_TOOLS)
  }

  #onExit(client: Client): void {
    if (this.#state === 'closed' || client !== this.#client) return
    this.#client = null
    this.#exits += 1
    this.#lastProblem = `it exited${this.#stderrNote()}`
    if (this.#exits > this.#options.maxRestarts) {
      this.#state = 'failed'
      this.#lastProblem = `it exited ${this.#exits} times in a row without a successful call, so it was given up${this.#stderrNote()}`
      void this.#launch?.release()
      return
    }
    this.#state = 'restarting'
    this.#restarting = this.#restart()
  }

  async #restart(): Promise<void> {
    for (;;) {
      await sleep(backoffDelayMs(this.#options.backoff, this.#exits - 1))
      if (this.#state === 'closed') return
      try {
        await this.#connect()
        return
      } catch (error) {
        this.#exits += 1
        this.#lastProblem = `it could not be restarted: ${(error as Error).message}`
        if (this.#exits > this.#options.maxRestarts) {
          this.#state = 'failed'
          return
        }
      }
    }
  }

  /** Waits for a restart; null when the call may go ahead, otherwise the call's outcome. */
  async #wait(restarting: Promise<void>, timeoutMs: number, signal?: AbortSignal): Promise<McpCallOutcome | null> {
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)))
    const aborted = new Promise<'aborted'>((resolve) => signal?.addEventListener('abort', () => resolve('aborted'), { once: true }))
    const first = await Promise.race([restarting.then(() => 'restarted' as const), timedOut, aborted])
    clearTimeout(timer)
    if (first === 'timeout') return { kind: 'error', status: 'timeout', message: `the MCP server "${this.config.name}" was still restarting after ${timeoutMs.toLocaleString('en-US')} ms` }
    if (first === 'aborted') return { kind: 'error', status: 'interrupted', message: 'interrupted while the MCP server restarted' }
    return null
  }

  #stderrNote(): string {
    const tail = this.#stderrTail.trim()
    return tail.length === 0 ? '' : ` (its last output: ${tail.slice(-500)})`
  }
}
