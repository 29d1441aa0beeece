import { describe, expect, test } from 'vitest'
import { describeToolCall, parseToolCall } from './tool-call'
import { toolDefinitions } from './tool-definitions'
import { SHELL_DEFAULT_TIMEOUT_MS } from './tool-schemas'

describe('parseToolCall', () => {
  test('accepts every tool with its exact arguments', () => {
    expect(parseToolCall('shell', '{"command":"ls -la","timeout_ms":null}')).toEqual({ ok: true, call: { tool: 'shell', command: 'ls -la', timeoutMs: SHELL_DEFAULT_TIMEOUT_MS } })
    expect(parseToolCall('shell', '{"command":"ls","timeout_ms":500}')).toEqual({ ok: true, call: { tool: 'shell', command: 'ls', timeoutMs: 500 } })
    expect(parseToolCall('script', '{"code":"1+1"}')).toEqual({ ok: true, call: { tool: 'script', code: '1+1' } })
    expect(parseToolCall('read_file', '{"path":"a.txt","start_line":2,"end_line":null}')).toEqual({
      ok: true,
      call: { tool: 'read_file', path: 'a.txt', startLine: 2, endLine: null }
    })
    expect(parseToolCall('list_dir', '{"path":"."}')).toEqual({ ok: true, call: { tool: 'list_dir', path: '.' } })
    expect(parseToolCall('search', '{"pattern":"TODO","path":null}')).toEqual({ ok: true, call: { tool: 'search', pattern: 'TODO', path: null } })
    expect(parseToolCall('write_file', '{"path":"b","content":""}')).toEqual({ ok: true, call: { tool: 'write_file', path: 'b', content: '' } })
    expect(parseToolCall('edit_file', '{"path":"b","old_text":"x","new_text":"y"}')).toEqual({ ok: true, call: { tool: 'edit_file', path: 'b', oldText: 'x', newText: 'y' } })
  })

  test('answers broken calls with a message instead of throwing', () => {
    expect(parseToolCall('rm_rf', '{}')).toEqual({ ok: false, message: "unknown tool 'rm_rf'; the tools are shell, script, read_file, list_dir, search, write_file, edit_file" })
    expect(parseToolCall('shell', '{"command": "ls"')).toEqual({
      ok: false,
      message: expect.stringMatching(/^invalid arguments for shell: arguments are not valid JSON \(/) as string
    })
    expect(parseToolCall('shell', '{"command":"ls"}')).toEqual({ ok: false, message: 'invalid arguments for shell: ✖ Invalid input: expected number, received undefined   → at timeout_ms' })
    expect(parseToolCall('shell', '{"command":"ls","timeout_ms":null,"sudo":true}')).toEqual({ ok: false, message: 'invalid arguments for shell: ✖ Unrecognized key: "sudo"' })
    expect(parseToolCall('shell', '{"command":42,"timeout_ms":null}')).toEqual({ ok: false, message: 'invalid arguments for shell: ✖ Invalid input: expected string, received number   → at command' })
    expect(parseToolCall('shell', '{"command":"ls","timeout_ms":1.5}')).toEqual({ ok: false, message: 'invalid arguments for shell: ✖ Invalid input: expected int, received number   → at timeout_ms' })
    expect(parseToolCall('shell', '[]')).toEqual({ ok: false, message: 'invalid arguments for shell: ✖ Invalid input: expected object, received array' })
    expect(parseToolCall('shell', 'null')).toEqual({ ok: false, message: 'invalid arguments for shell: ✖ Invalid input: expected object, received null' })
  })

  test('checks the bounds the schema cannot express', () => {
    expect(parseToolCall('shell', '{"command":"  ","timeout_ms":null}')).toEqual({ ok: false, message: 'invalid arguments for shell: command must not be empty' })
    expect(parseToolCall('shell', '{"command":"ls","timeout_ms":0}')).toEqual({ ok: false, message: 'invalid arguments for shell: timeout_ms must be between 1 and 600000 (got 0)' })
    expect(parseToolCall('shell', '{"command":"ls","timeout_ms":600001}')).toEqual({ ok: false, message: 'invalid arguments for shell: timeout_ms must be between 1 and 600000 (got 600001)' })
    expect(parseToolCall('read_file', '{"path":"a","start_line":0,"end_line":null}')).toEqual({ ok: false, message: 'invalid arguments for read_file: start_line must be at least 1 (got 0)' })
    expect(parseToolCall('read_file', '{"path":"a","start_line":5,"end_line":4}')).toEqual({ ok: false, message: 'invalid arguments for read_file: end_line must not be before start_line (got 4)' })
    expect(parseToolCall('read_file', '{"path":"","start_line":null,"end_line":null}')).toEqual({ ok: false, message: 'invalid arguments for read_file: path must not be empty' })
    expect(parseToolCall('edit_file', '{"path":"a","old_text":"","new_text":"x"}')).toEqual({ ok: false, message: 'invalid arguments for edit_file: old_text must not be empty' })
    expect(parseToolCall('search', '{"pattern":"","path":null}')).toEqual({ ok: false, message: 'invalid arguments for search: pattern must not be empty' })
  })
})

describe('describeToolCall', () => {
  test('names what the policy judges', () => {
    expect(describeToolCall('shell', '{"command":"git status","timeout_ms":null}')).toEqual({ kind: 'shell', command: 'git status' })
    expect(describeToolCall('script', '{"code":"1"}')).toEqual({ kind: 'script', code: '1' })
    expect(describeToolCall('read_file', '{"path":"src/a.ts","start_line":null,"end_line":null}')).toEqual({ kind: 'read', path: 'src/a.ts' })
    expect(describeToolCall('list_dir', '{"path":"src"}')).toEqual({ kind: 'read', path: 'src' })
    expect(describeToolCall('search', '{"pattern":"x","path":null}')).toEqual({ kind: 'read', path: '.' })
    expect(describeToolCall('search', '{"pattern":"x","path":"lib"}')).toEqual({ kind: 'read', path: 'lib' })
    expect(describeToolCall('write_file', '{"path":"a","content":"b"}')).toEqual({ kind: 'write', path: 'a' })
    expect(describeToolCall('edit_file', '{"path":"a","old_text":"b","new_text":"c"}')).toEqual({ kind: 'write', path: 'a' })
    expect(describeToolCall('shell', 'not json')).toEqual({ kind: 'invalid', message: expect.stringMatching(/^invalid arguments for shell: arguments are not valid JSON/) as string })
  })
})

describe('toolDefinitions', () => {
  test('are strict function tools whose every property is required', () => {
    const definitions = toolDefinitions()
    expect(definitions.map((tool) => tool.name)).toEqual(['shell', 'script', 'read_file', 'list_dir', 'search', 'write_file', 'edit_file'])
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
    const shell = toolDefinitions()[0]
    expect(shell?.parameters).toEqual({
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
})
