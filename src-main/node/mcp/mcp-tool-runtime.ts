// A run's tools with its MCP servers added: the built-in tools from the shared runtime, and the
// servers' tools, which belong to this run alone, run in the app process (the SDK client talks
// to each sandboxed server), and stop with the run.
import type { ToolRegistry } from '../tools/registry/tool-registry'
import type { RunToolContext, ToolCallObserver, ToolCallRequest, ToolCallResult, ToolRuntime } from '../tools/tool-runtime'
import type { McpServers } from './mcp-servers'

export class McpToolRuntime implements ToolRuntime {
  readonly registry: ToolRegistry
  #base: ToolRuntime
  #servers: McpServers
  #artifactsDir: string | null = null

  constructor(base: ToolRuntime, servers: McpServers) {
    this.#base = base
    this.#servers = servers
    this.registry = base.registry.with(servers.tools())
  }

  get servers(): McpServers {
    return this.#servers
  }

  async openRun(context: RunToolContext): Promise<void> {
    this.#artifactsDir = context.artifactsDir
    await this.#base.openRun(context)
  }

  async execute(request: ToolCallRequest, observer: ToolCallObserver = {}): Promise<ToolCallResult> {
    const name = request.call.tool.name
    if (!this.#servers.has(name)) return this.#base.execute(request, observer)
    return this.#servers.execute(name, request.callId, JSON.stringify(request.call.args), this.#artifactsDir, observer.signal)
  }

  async closeRun(runId: string): Promise<void> {
    await Promise.allSettled([this.#base.closeRun(runId), this.#servers.close()])
  }

  /** Stops this run's servers; the shared runtime belongs to whoever made it. */
  async close(): Promise<void> {
    await this.#servers.close()
  }
}
