// How the other clients run the model's tool calls: through the same sandboxed runtime Tether
// uses (the same shell in bubblewrap, the same file tools and script isolate), one call after
// another in the order the model emitted them, the way a hand-written SDK loop does.
import { join } from 'node:path'
import type { FunctionTool, ResponseIncludable } from 'openai/resources/responses/responses'
import type { ClientRunContext } from './client'

export interface FunctionCall {
  call_id: string
  name: string
  arguments: string
}

export interface FunctionCallOutput {
  type: 'function_call_output'
  call_id: string
  output: string
}

/** What the hand-written SDK loops send with every request, the same settings Tether sends. */
export function peerRequestSettings(context: ClientRunContext, tools: FunctionTool[]) {
  const include: ResponseIncludable[] = ['reasoning.encrypted_content']
  return {
    model: context.model,
    instructions: context.instructions,
    tools,
    tool_choice: 'auto' as const,
    parallel_tool_calls: true,
    store: false,
    include
  }
}

export function openPeerRun(context: ClientRunContext, runId: string): Promise<void> {
  return context.tools.openRun({
    runId,
    workspace: context.workspace,
    artifactsDir: join(context.dataDir, 'artifacts'),
    networkAllowlist: [],
    unsandboxed: false
  })
}

export async function executeCall(context: ClientRunContext, runId: string, call: FunctionCall): Promise<string> {
  const prepared = context.tools.registry.prepare(call.name, call.arguments)
  if (!prepared.ok) return prepared.message
  const result = await context.tools.execute({ runId, callId: call.call_id, call: prepared })
  return result.output
}

export async function executeCalls(context: ClientRunContext, runId: string, calls: readonly FunctionCall[]): Promise<FunctionCallOutput[]> {
  const outputs: FunctionCallOutput[] = []
  for (const call of calls) outputs.push({ type: 'function_call_output', call_id: call.call_id, output: await executeCall(context, runId, call) })
  return outputs
}
