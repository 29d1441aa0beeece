import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { BUILTIN_TOOLS, builtinTools } from '../builtin'
import { defineTool, type PreparedCall, type Preparation, type ToolRunContext } from './define-tool'
import { WorkspaceFiles } from '../files/workspace-files'
import { jsonSchemaArguments } from './argument-schema'

/** A preparation without the tool object, for whole-object comparison. */
function plain(preparation: Preparation): Omit<PreparedCall, 'tool'> | { ok: false; message: string } {
  if (!preparation.ok) return preparation
  const { tool: _tool, ...rest } = preparation
  return rest
}

const prepare = (name: string, rawArguments: string) => plain(builtinTools.prepare(name, rawArguments))

describe('preparing a call', () => {
  test('accepts every built-in tool with its exact arguments, classifies it and names its durability', () => {
    expect(prepare('shell', '{"command":"ls -la","timeout_ms":null}')).toEqual({ ok: true, args: { command: 'ls -la', timeout_ms: null }, subject: { kind: 'shell', command: 'ls -la' }, durability: 'effectful' })
    expect(prepare('script', '{"code":"1+1"}')).toEqual({ ok: true, args: { code: '1+1' }, subject: { kind: 'script', code: '1+1' }, durability: 'read-only' })
    expect(prepare('read_file', '{"path":"a.txt","start_line":2,"end_line":null}')).toEqual({
      ok: true,
      args: { path: 'a.txt', start_line: 2, end_line: null },
      subject: { kind: 'read', path: 'a.txt' },
      durability: 'read-only'
    })
    expect(prepare('list_dir', '{"path":"src"}')).toEqual({ ok: true, args: { path: 'src' }, subject: { kind: 'read', path: 'src' }, durability: 'read-only' })
    expect(prepare('search', '{"pattern":"x","path":null}')).toEqual({ ok: true, args: { pattern: 'x', path: null }, subject: { kind: 'read', path: '.' }, durability: 'read-only' })
    expect(prepare('search', '{"pattern":"x","path":"lib"}')).toEqual({ ok: true, args: { pattern: 'x', path: 'lib' }, subject: { kind: 'read', path: 'lib' }, durability: 'read-only' })
    expect(prepare('write_file', '{"path":"b","content":""}')).toEqual({ ok: true, args: { path: 'b', content: '' }, subject: { kind: 'write', path: 'b' }, durability: 'effectful' })
    expect(prepare('edit_file', '{"path":"a","old_text":"b","new_text":"c"}')).toEqual({
      ok: true,
      args: { path: 'a', old_text: 'b', new_text: 'c' },
      subject: { kind: 'write', path: 'a' },
      durability: 'effectful'
    })
  })

  test('answers broken calls with a message instead of throwing', () => {
    expect(prepare('rm_rf', '{}')).toEqual({ ok: false, message: `unknown tool 'rm_rf'; the tools are ${BUILTIN_TOOLS.map((tool) => tool.name).join(', ')}` })
    expect(BUILTIN_TOOLS.slice(0, 3).map((tool) => tool.name)).toEqual(['shell', 'script', 'read_file'])
    expect(prepare('shell', '{"command": "ls"')).toEqual({ ok: false, message: expect.stringMatching(/^invalid arguments for shell: arguments are not valid JSON \(/) as string })
    expect(prepare('shell', '{"command":"ls"}')).toEqual({ ok: false, message: 'invalid arguments for shell: ✖ Invalid input: expected number, received undefined   → at timeout_ms' })
    expect(prepare('shell', '{"command":"ls","timeout_ms":null,"sudo":true}')).toEqual({ ok: false, message: 'invalid arguments for shell: ✖ Unrecognized key: "sudo"' })
    expect(prepare('shell', '{"command":42,"timeout_ms":null}')).toEqual({ ok: false, message: 'invalid arguments for shell: ✖ Invalid input: expected string, received number   → at command' })
    expect(prepare('shell', '{"command":"ls","timeout_ms":1.5}')).toEqual({ ok: false, message: 'invalid arguments for shell: ✖ Invalid input: expected int, received number   → at timeout_ms' })
    expect(prepare('shell', '[]')).toEqual({ ok: false, message: 'invalid arguments for shell: ✖ Invalid input: expected object, received array' })
    expect(prepare('shell', 'null')).toEqual({ ok: false, message: 'invalid arguments for shell: ✖ Invalid input: expected object, received null' })
  })

  test('checks the bounds the schema cannot express', () => {
    expect(prepare('shell', '{"command":"  ","timeout_ms":null}')).toEqual({ ok: false, message: 'invalid arguments for shell: command must not be empty' })
    expect(prepare('shell', '{"command":"ls","timeout_ms":0}')).toEqual({ ok: false, message: 'invalid arguments for shell: timeout_ms must be between 1 and 600000 (got 0)' })
    expect(prepare('shell', '{"command":"ls","timeout_ms":600001}')).toEqual({ ok: false, message: 'invalid arguments for shell: timeout_ms must be between 1 and 600000 (got 600001)' })
    expect(prepare('read_file', '{"path":"a","start_line":0,"end_line":null}')).toEqual({ ok: false, message: 'invalid arguments for read_file: start_line must be at least 1 (got 0)' })
    expect(prepare('read_file', '{"path":"a","start_line":5,"end_line":4}')).toEqual({ ok: false, message: 'invalid arguments for read_file: end_line must not be before start_line (got 4)' })
    expect(prepare('read_file', '{"path":"","start_line":null,"end_line":null}')).toEqual({ ok: false, message: 'invalid arguments for read_file: path must not be empty' })
    expect(prepare('edit_file', '{"path":"a","old_text":"","new_text":"x"}')).toEqual({ ok: false, message: 'invalid arguments for edit_file: old_text must not be empty' })
    expect(prepare('search', '{"pattern":"","path":null}')).toEqual({ ok: false, message: 'invalid arguments for search: pattern must not be empty' })
  })
})

describe('the definitions sent to the model', () => {
  test('are strict function tools whose every property is required', () => {
    const definitions = builtinTools.definitions()
    expect(definitions.map((tool) => tool.name)).toEqual(BUILTIN_TOOLS.map((tool) => tool.name))
    for (const tool of definitions) {
      const parameters = tool.parameters as { type: string; properties: Record<string, unknown>; required: string[]; additionalProperties: boolean }
      expect(tool.type).toBe('function')
      expect(tool.strict).toBe(true)
      expect(parameters.type).toBe('object')
      expect(parameters.additionalProperties).toBe(false)
      expect([...parameters.required].sort()).toEqual(Object.keys(parameters.properties).sort())
      expect(JSON.stringify(parameters)).not.toContain('$schema')
    }
  })

  test('write the shell tool exactly as the model sees it', () => {
    expect(builtinTools.definitions()[0]?.parameters).toEqual({
      type: 'object',
      properties: {
        command: { type: 'string', description: 'The bash command line to run.' },
        timeout_ms: {
          anyOf: [{ type: 'integer' }, { type: 'null' }],
          description: 'Time limit in milliseconds (default 120000, at most 600000). On timeout every process the call started is killed.'
        }
      },
      required: ['command', 'timeout_ms'],
      additionalProperties: false
    })
  })

  test('come with how the app labels each tool', () => {
    expect(builtinTools.views()).toMatchObject({
      shell: { labelArgument: 'command', prefixName: false },
      script: { labelArgument: null, prefixName: true },
      read_file: { labelArgument: 'path', prefixName: true },
      list_dir: { labelArgument: 'path', prefixName: true },
      search: { labelArgument: 'pattern', prefixName: true },
      write_file: { labelArgument: 'path', prefixName: true },
      edit_file: { labelArgument: 'path', prefixName: true }
    })
  })
})

describe('tools added for one run, with a JSON schema instead of zod', () => {
  const inputSchema = {
    type: 'object',
    properties: { issue: { type: 'integer' }, comment: { type: 'string' } },
    required: ['issue', 'comment'],
    additionalProperties: false
  }
  const runs: unknown[] = []
  const commentTool = defineTool({
    name: 'tracker__comment',
    description: 'Comment on an issue.',
    schema: jsonSchemaArguments(inputSchema),
    classify: (args) => ({ kind: 'shell', command: `tracker comment ${JSON.stringify(args)}` }),
    durability: 'effectful',
    run: async (args) => {
      runs.push(args)
      return { outcome: { status: 'ok', exitCode: null, output: 'commented', artifactPath: null }, queuedMs: 0 }
    },
    render: { labelArgument: 'comment', prefixName: true }
  })
  const registry = builtinTools.with([commentTool])

  test('are sent with the schema they came with, after the built-in tools', () => {
    expect(registry.definitions().at(-1)).toEqual({ type: 'function', name: 'tracker__comment', description: 'Comment on an issue.', strict: true, parameters: inputSchema })
    expect(registry.names).toEqual([...builtinTools.names, 'tracker__comment'])
  })

  test('are checked against that schema', () => {
    expect(plain(registry.prepare('tracker__comment', '{"issue":7,"comment":"done"}'))).toEqual({
      ok: true,
      args: { issue: 7, comment: 'done' },
      subject: { kind: 'shell', command: 'tracker comment {"issue":7,"comment":"done"}' },
      durability: 'effectful'
    })
    const wrong = registry.prepare('tracker__comment', '{"issue":"seven","comment":"done"}')
    expect(wrong.ok ? null : wrong.message).toMatch(/^invalid arguments for tracker__comment: ✖ Invalid input: expected (integer|int|number)/)
  })

  test('run with the arguments checked again on arrival, as across a process boundary', async () => {
    const unused = (): never => {
      throw new Error('unused')
    }
    const context: ToolRunContext = { shell: { execute: unused }, scripts: { execute: unused }, files: new WorkspaceFiles({ workspace: '/nonexistent', readOnly: [], hidden: [] }), artifactPath: '', emit: () => {}, signal: new AbortController().signal }
    expect((await commentTool.run({ issue: 1, comment: 'x' }, context)).outcome.output).toBe('commented')
    expect((await commentTool.run({ issue: 1 }, context)).outcome).toEqual({
      status: 'error',
      exitCode: null,
      output: expect.stringMatching(/^invalid arguments for tracker__comment: /) as string,
      artifactPath: null
    })
    expect(runs).toEqual([{ issue: 1, comment: 'x' }])
  })

  test('may not take a name that is already taken', () => {
    expect(() => registry.with([commentTool])).toThrow('two tools are named tracker__comment')
    const shadow = defineTool({
      name: 'shell',
      description: 'Another shell.',
      schema: z.strictObject({}),
      classify: () => ({ kind: 'read', path: '.' }),
      durability: 'read-only',
      run: () => Promise.reject(new Error('unused')),
      render: { labelArgument: null, prefixName: true }
    })
    expect(() => builtinTools.with([shadow])).toThrow('two tools are named shell')
  })
})
