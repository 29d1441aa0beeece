// A small function-calling script for protocol tests: a parallel pair of calls, a single call,
// then a final answer. Tools use Tether's names and argument shapes.
import type { Scenario } from '../scenarios/scenario-schema'

export const TOOL_LOOP: Scenario = {
  name: 'tool-loop',
  timing: { tokensPerDelta: 2 },
  turns: [
    {
      output: [
        { type: 'reasoning', summary: 'Look at the package manifest and the source folder first.' },
        { type: 'message', text: 'Reading the manifest and listing the sources.', phase: 'commentary' },
        { type: 'function_call', name: 'read_file', arguments: { path: 'package.json', start_line: null, end_line: null } },
        { type: 'function_call', name: 'list_dir', arguments: { path: 'src' } }
      ]
    },
    { output: [{ type: 'function_call', name: 'shell', arguments: { command: 'node --test', timeout_ms: null } }] },
    { output: [{ type: 'message', text: 'All tests pass; nothing needed fixing.', phase: 'final_answer' }] }
  ]
}

export const TOOL_LOOP_TOOLS = [
  { type: 'function', name: 'read_file', strict: true, parameters: schema({ path: { type: 'string' }, start_line: { type: ['integer', 'null'] }, end_line: { type: ['integer', 'null'] } }) },
  { type: 'function', name: 'list_dir', strict: true, parameters: schema({ path: { type: 'string' } }) },
  { type: 'function', name: 'shell', strict: true, parameters: schema({ command: { type: 'string' }, timeout_ms: { type: ['integer', 'null'] } }) }
] as const

function schema(properties: Record<string, unknown>): Record<string, unknown> {
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false }
}

/** What a client answers for a call: deterministic so transcripts compare equal across transports. */
export function fakeToolOutput(name: string, args: string): string {
  return JSON.stringify({ tool: name, arguments: JSON.parse(args) as unknown, ok: true })
}
