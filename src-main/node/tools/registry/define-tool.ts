// A tool as one unit: its arguments, how the policy sees a call, what a crash during a call may
// leave behind, how it runs and how the app shows it. Everything else (the API's tool list,
// argument checks, approvals, the write-ahead decision, the app's labels) is derived from this.
import type { z } from 'zod'
import type { FunctionTool } from '../../../common/protocol/wire'
import type { Durability } from '../../../common/run/sync-point'
import type { ToolView } from '../../../common/run/tool-view'
import type { ToolOutcome } from '../host/tool-outcome'
import type { WorkspaceFiles } from '../files/workspace-files'
import type { ToolCallSubject } from '../tool-runtime'
import { zodArguments, type ArgumentSchema } from './argument-schema'

/**
 * A tool's durability (common/run/sync-point.ts) decides what the run log holds before a call runs:
 * a `read-only` call needs no write-ahead sync and may run alongside other read-only calls; an
 * `effectful` call runs only once its `tool.started` is on disk, never twice, one at a time.
 */
export type { Durability }

/** What a call's run produced, and how long it waited behind another call of its run. */
export interface ToolRun {
  outcome: ToolOutcome
  queuedMs: number
}

/** The per-run services of the tool host a tool runs with. Only plain data crosses into it. */
export interface ToolRunContext {
  shell: { execute(call: { command: string; timeoutMs: number }, artifactPath: string, emit: (data: string) => void, signal: AbortSignal): Promise<ToolRun> }
  scripts: { execute(code: string, signal: AbortSignal): Promise<ToolRun> }
  files: WorkspaceFiles
  /** Where this call may keep its full output. */
  artifactPath: string
  /** Raw output as it is produced, for the terminal view. */
  emit: (data: string) => void
  /** Aborted when the call is interrupted. */
  signal: AbortSignal
}

export interface ToolSpec<Args> {
  /** The function name the model calls. */
  name: string
  description: string
  /** zod for tools written here; `jsonSchemaArguments(...)` for tools that bring a JSON schema. */
  schema: z.ZodType<Args> | ArgumentSchema<Args>
  /** Bounds a JSON schema cannot say (non-empty text, ranges that depend on each other): a message, or null. */
  check?: (args: Args) => string | null
  /** What the policy judges. */
  classify: (args: Args) => ToolCallSubject
  durability: Durability
  run: (args: Args, context: ToolRunContext) => Promise<ToolRun>
  render: ToolView
  /** `strict: true` unless the schema cannot be strict (an MCP server's, as it came); default true. */
  strict?: boolean
}

/** A call whose arguments passed their checks, ready to be judged and run. */
export interface PreparedCall {
  ok: true
  tool: Tool
  /** The checked arguments: plain JSON, what crosses into the tool host. */
  args: unknown
  subject: ToolCallSubject
  durability: Durability
}

export type Preparation = PreparedCall | { ok: false; message: string }

/** A defined tool with its argument type sealed inside, so tools of any arguments share one registry. */
export interface Tool {
  readonly name: string
  readonly durability: Durability
  readonly render: ToolView
  readonly definition: FunctionTool
  /** Checks what the model sent (parsed JSON) and classifies the call. */
  prepare(value: unknown): Preparation
  /** Runs checked arguments; checks them again, as they arrive across a process boundary. */
  run(args: unknown, context: ToolRunContext): Promise<ToolRun>
}

function isArgumentSchema<Args>(schema: z.ZodType<Args> | ArgumentSchema<Args>): schema is ArgumentSchema<Args> {
  return 'jsonSchema' in schema && typeof schema.check === 'function'
}

export function defineTool<Args>(spec: ToolSpec<Args>): Tool {
  const schema = isArgumentSchema(spec.schema) ? spec.schema : zodArguments(spec.schema)
  const checked = (value: unknown): { ok: true; args: Args } | { ok: false; message: string } => {
    const result = schema.check(value)
    if (!result.ok) return { ok: false, message: `invalid arguments for ${spec.name}: ${result.message}` }
    const problem = spec.check?.(result.args) ?? null
    return problem === null ? result : { ok: false, message: `invalid arguments for ${spec.name}: ${problem}` }
  }
  const tool: Tool = {
    name: spec.name,
    durability: spec.durability,
    render: spec.render,
    definition: { type: 'function', name: spec.name, description: spec.description, strict: spec.strict ?? true, parameters: schema.jsonSchema },
    prepare(value) {
      const result = checked(value)
      if (!result.ok) return result
      return { ok: true, tool, args: result.args, subject: spec.classify(result.args), durability: spec.durability }
    },
    async run(args, context) {
      const result = checked(args)
      if (!result.ok) return { outcome: { status: 'error', exitCode: null, output: result.message, artifactPath: null }, queuedMs: 0 }
      return spec.run(result.args, context)
    }
  }
  return tool
}
