// @openai/agents-openai's WebSocket model driven by the Agents SDK Runner with its defaults: the
// Runner keeps the history and sends all of it every turn (it chains `previous_response_id`
// only when given one to start from), over one reused socket. The tools are function tools
// with Tether's JSON schemas whose execute goes to the shared sandboxed runtime.
import { Agent, Runner, tool } from '@openai/agents-core'
import { OpenAIProvider } from '@openai/agents-openai'
import { WebSocket as NodeWebSocket } from 'ws'
import { performance } from 'node:perf_hooks'
import type { BenchClient, ClientRunContext, ClientRunResult } from './client'
import { executeCall, openPeerRun } from './peer-tools'

let runs = 0

/** The shape `tool()` takes for a strict JSON schema; Tether's definitions are exactly that. */
interface StrictObjectSchema {
  type: 'object'
  properties: Record<string, Record<string, unknown>>
  required: string[]
  additionalProperties: false
}

/**
 * The model uses `globalThis.WebSocket` with `{ headers }` as its second argument. Node 20 has no
 * global WebSocket; the `ws` package's class has exactly that constructor.
 */
function ensureGlobalWebSocket(): void {
  const globals = globalThis as { WebSocket?: unknown }
  globals.WebSocket ??= NodeWebSocket
}

function agentTools(context: ClientRunContext, runId: string) {
  return context.tools.registry.definitions().map((definition) =>
    tool({
      name: definition.name,
      description: definition.description ?? '',
      parameters: definition.parameters as unknown as StrictObjectSchema,
      strict: true,
      execute: async (_input, _runContext, details) => {
        const call = details?.toolCall
        if (!call) throw new Error('the Runner gave no tool call details')
        return executeCall(context, runId, { call_id: call.callId, name: call.name, arguments: call.arguments })
      }
    })
  )
}

async function runAgentsWs(context: ClientRunContext): Promise<ClientRunResult> {
  ensureGlobalWebSocket()
  const runId = `agents-ws-${++runs}`
  const startedAt = performance.now()
  const provider = new OpenAIProvider({ apiKey: 'bench-key', baseURL: context.baseUrl, useResponses: true, useResponsesWebSocket: true })
  try {
    await openPeerRun(context, runId)
    const agent = new Agent({ name: 'bench', instructions: context.instructions, model: context.model, tools: agentTools(context, runId) })
    const result = await new Runner({ modelProvider: provider, tracingDisabled: true }).run(agent, context.task, { maxTurns: 100 })
    if (typeof result.finalOutput !== 'string') throw new Error('the agent run ended without a final answer')
    return { e2eMs: performance.now() - startedAt, runId, profile: {} }
  } finally {
    await provider.close()
  }
}

export const AGENTS_WS_CLIENT: BenchClient = {
  id: 'agents-ws',
  label: '@openai/agents, WebSocket model',
  pattern: 'websocket',
  continuation: 'full history every turn (Runner default)',
  run: runAgentsWs
}
