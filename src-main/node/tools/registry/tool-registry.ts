// The tools a run can call, by name. The built-in tools form the base registry; a run may add
// its own (tools an MCP server offers, known only once the run starts) with `with`.
import type { FunctionTool } from '../../../common/protocol/wire'
import type { ToolView } from '../../../common/run/tool-view'
import type { Preparation, PreparedCall, Tool } from './define-tool'

export class ToolRegistry {
  readonly #tools: ReadonlyMap<string, Tool>

  constructor(tools: readonly Tool[]) {
    const byName = new Map<string, Tool>()
    for (const tool of tools) {
      if (byName.has(tool.name)) throw new Error(`two tools are named ${tool.name}`)
      byName.set(tool.name, tool)
    }
    this.#tools = byName
  }

  /** This registry and `extra`, for one run; a name may not be taken twice. */
  with(extra: readonly Tool[]): ToolRegistry {
    return new ToolRegistry([...this.#tools.values(), ...extra])
  }

  get names(): string[] {
    return [...this.#tools.keys()]
  }

  get(name: string): Tool | undefined {
    return this.#tools.get(name)
  }

  /** The strict function tools sent with every request. */
  definitions(): FunctionTool[] {
    return [...this.#tools.values()].map((tool) => tool.definition)
  }

  /** How the app labels each tool's calls; recorded when a run starts. */
  views(): Record<string, ToolView> {
    return Object.fromEntries([...this.#tools.values()].map((tool) => [tool.name, tool.render]))
  }

  /** Parses and checks a call the model sent, once; a broken call becomes a message for the model. */
  prepare(name: string, rawArguments: string): Preparation {
    const tool = this.#tools.get(name)
    if (tool === undefined) return { ok: false, message: `unknown tool '${name}'; the tools are ${this.names.join(', ')}` }
    let value: unknown
    try {
      value = JSON.parse(rawArguments)
    } catch (error) {
      return { ok: false, message: `invalid arguments for ${name}: arguments are not valid JSON (${(error as Error).message})` }
    }
    return tool.prepare(value)
  }

  /** `prepare` for calls that come from Tether itself (the CLI, tests, benchmarks), where a broken call is a bug. */
  prepareOrThrow(name: string, rawArguments: string): PreparedCall {
    const prepared = this.prepare(name, rawArguments)
    if (!prepared.ok) throw new Error(prepared.message)
    return prepared
  }
}
