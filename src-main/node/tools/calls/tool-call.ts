// A validated tool call: the closed union the tool host executes. Everything the model sends is
// checked here first, so a broken call becomes an error for the model, never a crash.
import { z } from 'zod'
import { assertNever } from '../../../common/run/records'
import type { ToolCallSubject } from '../tool-runtime'
import { isToolName, SHELL_DEFAULT_TIMEOUT_MS, SHELL_MAX_TIMEOUT_MS, TOOL_NAMES, TOOL_SCHEMAS, type ToolName } from './tool-schemas'

export type ToolCall =
  | { tool: 'shell'; command: string; timeoutMs: number }
  | { tool: 'script'; code: string }
  | { tool: 'read_file'; path: string; startLine: number | null; endLine: number | null }
  | { tool: 'list_dir'; path: string }
  | { tool: 'search'; pattern: string; path: string | null }
  | { tool: 'write_file'; path: string; content: string }
  | { tool: 'edit_file'; path: string; oldText: string; newText: string }

export type ParsedToolCall = { ok: true; call: ToolCall } | { ok: false; message: string }

function invalid(message: string): ParsedToolCall {
  return { ok: false, message }
}

function parseJson(rawArguments: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(rawArguments) as unknown }
  } catch (error) {
    return { ok: false, message: `arguments are not valid JSON (${(error as Error).message})` }
  }
}

function requireNonEmpty(value: string, field: string): string | null {
  return value.length === 0 ? `${field} must not be empty` : null
}

function toCall(name: ToolName, value: unknown): ParsedToolCall {
  const parsed = TOOL_SCHEMAS[name].arguments.safeParse(value)
  if (!parsed.success) return invalid(`invalid arguments for ${name}: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}`)
  const args = parsed.data as Record<string, unknown>
  switch (name) {
    case 'shell': {
      const command = args.command as string
      const timeout = args.timeout_ms as number | null
      if (command.trim().length === 0) return invalid('invalid arguments for shell: command must not be empty')
      if (timeout !== null && (timeout < 1 || timeout > SHELL_MAX_TIMEOUT_MS)) {
        return invalid(`invalid arguments for shell: timeout_ms must be between 1 and ${SHELL_MAX_TIMEOUT_MS} (got ${timeout})`)
      }
      return { ok: true, call: { tool: 'shell', command, timeoutMs: timeout ?? SHELL_DEFAULT_TIMEOUT_MS } }
    }
    case 'script':
      return { ok: true, call: { tool: 'script', code: args.code as string } }
    case 'read_file': {
      const path = args.path as string
      const startLine = args.start_line as number | null
      const endLine = args.end_line as number | null
      const problem =
        requireNonEmpty(path, 'path') ??
        (startLine !== null && startLine < 1 ? `start_line must be at least 1 (got ${startLine})` : null) ??
        (endLine !== null && endLine < (startLine ?? 1) ? `end_line must not be before start_line (got ${endLine})` : null)
      if (problem) return invalid(`invalid arguments for read_file: ${problem}`)
      return { ok: true, call: { tool: 'read_file', path, startLine, endLine } }
    }
    case 'list_dir': {
      const path = args.path as string
      const problem = requireNonEmpty(path, 'path')
      if (problem) return invalid(`invalid arguments for list_dir: ${problem}`)
      return { ok: true, call: { tool: 'list_dir', path } }
    }
    case 'search': {
      const pattern = args.pattern as string
      const problem = requireNonEmpty(pattern, 'pattern')
      if (problem) return invalid(`invalid arguments for search: ${problem}`)
      return { ok: true, call: { tool: 'search', pattern, path: args.path as string | null } }
    }
    case 'write_file': {
      const path = args.path as string
      const problem = requireNonEmpty(path, 'path')
      if (problem) return invalid(`invalid arguments for write_file: ${problem}`)
      return { ok: true, call: { tool: 'write_file', path, content: args.content as string } }
    }
    case 'edit_file': {
      const path = args.path as string
      const oldText = args.old_text as string
      const problem = requireNonEmpty(path, 'path') ?? requireNonEmpty(oldText, 'old_text')
      if (problem) return invalid(`invalid arguments for edit_file: ${problem}`)
      return { ok: true, call: { tool: 'edit_file', path, oldText, newText: args.new_text as string } }
    }
    default:
      return assertNever(name, 'tool name')
  }
}

export function parseToolCall(name: string, rawArguments: string): ParsedToolCall {
  if (!isToolName(name)) return invalid(`unknown tool '${name}'; the tools are ${TOOL_NAMES.join(', ')}`)
  const json = parseJson(rawArguments)
  if (!json.ok) return invalid(`invalid arguments for ${name}: ${json.message}`)
  return toCall(name, json.value)
}

export function subjectOf(call: ToolCall): ToolCallSubject {
  switch (call.tool) {
    case 'shell':
      return { kind: 'shell', command: call.command }
    case 'script':
      return { kind: 'script', code: call.code }
    case 'read_file':
    case 'list_dir':
      return { kind: 'read', path: call.path }
    case 'search':
      return { kind: 'read', path: call.path ?? '.' }
    case 'write_file':
    case 'edit_file':
      return { kind: 'write', path: call.path }
    default:
      return assertNever(call, 'tool call')
  }
}

export function describeToolCall(name: string, rawArguments: string): ToolCallSubject {
  const parsed = parseToolCall(name, rawArguments)
  return parsed.ok ? subjectOf(parsed.call) : { kind: 'invalid', message: parsed.message }
}
