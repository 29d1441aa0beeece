// @openai/agents-openai's WebSocket model needs a global WebSocket that accepts custom headers.
// Node 20 has none, so the test provides the `ws` package's class (it takes `{ headers }` as its
// second argument, which is what the model passes).
import { Agent, Runner, tool } from '@openai/agents-core'
import { OpenAIProvider } from '@openai/agents-openai'
import { WebSocket as NodeWebSocket } from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { startSim } from '../index'
import { TOOL_LOOP } from '../test-support/tool-loop-scenario'

const globals = globalThis as { WebSocket?: unknown }
const originalWebSocket = globals.WebSocket

beforeAll(() => {
  globals.WebSocket = NodeWebSocket
})
afterAll(() => {
  globals.WebSocket = originalWebSocket
})

describe('@openai/agents-openai WebSocket model against the sim', () => {
  it('runs an agent with function tools to its final output over one socket', async () => {
    const sim = await startSim({ scenario: TOOL_LOOP })
    const provider = new OpenAIProvider({ apiKey: 'sk-test', baseURL: sim.baseUrl, useResponses: true, useResponsesWebSocket: true })
    const executed: string[] = []
    const nullableInt = z.number().int().nullable()
    const agent = new Agent({
      name: 'checker',
      instructions: 'Check the project.',
      model: 'gpt-5.2',
      tools: [
        tool({
          name: 'read_file',
          description: 'Read a file.',
          parameters: z.object({ path: z.string(), start_line: nullableInt, end_line: nullableInt }),
          execute: async ({ path }) => {
            executed.push(`read_file ${path}`)
            return '{"name":"sample"}'
          }
        }),
        tool({
          name: 'list_dir',
          description: 'List a directory.',
          parameters: z.object({ path: z.string() }),
          execute: async ({ path }) => {
            executed.push(`list_dir ${path}`)
            return 'index.js'
          }
        }),
        tool({
          name: 'shell',
          description: 'Run a command.',
          parameters: z.object({ command: z.string(), timeout_ms: nullableInt }),
          execute: async ({ command }) => {
            executed.push(`shell ${command}`)
            return 'ok'
          }
        })
      ]
    })
    try {
      const result = await new Runner({ modelProvider: provider, tracingDisabled: true }).run(agent, 'Check the project.')
      expect(result.finalOutput).toBe('All tests pass; nothing needed fixing.')
      expect(executed.sort()).toEqual(['list_dir src', 'read_file package.json', 'shell node --test'])
      expect(sim.stats()).toMatchObject({ wsConnections: 1, responses: 3 })
      const frames = sim.received.map((message) => message.body as { type: string; stream?: boolean })
      expect(frames.every((frame) => frame.type === 'response.create' && frame.stream === true)).toBe(true)
    } finally {
      await provider.close()
      await sim.stop()
    }
  })
})
