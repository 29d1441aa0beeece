// Function names for MCP tools: `mcp__SERVER__TOOL`, made to fit what the Responses API accepts
// (letters, digits, `_` and `-`, at most 64 characters). A name that had to be changed or cut gets
// a short hash of the original, and two tools that would still share a name are told apart by a
// counter, so every tool keeps one stable, unique name for the run.
import { createHash } from 'node:crypto'

export const FUNCTION_NAME_MAX = 64
const PREFIX = 'mcp__'
const ALLOWED = /^[A-Za-z0-9_-]+$/

export interface NamedTool {
  server: string
  tool: string
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 6)
}

/** A server or tool name as a name part: disallowed characters become `_`, and `__` (the separator) collapses. */
export function namePart(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_-]/g, '_').replace(/_{2,}/g, '_')
  return cleaned.length === 0 ? 'x' : cleaned
}

function fit(server: string, tool: string): string {
  const plain = `${PREFIX}${namePart(server)}__${namePart(tool)}`
  const exact = `${PREFIX}${server}__${tool}`
  if (plain === exact && plain.length <= FUNCTION_NAME_MAX) return plain
  const suffix = `_${shortHash(`${server}\0${tool}`)}`
  return plain.length + suffix.length <= FUNCTION_NAME_MAX ? `${plain}${suffix}` : `${plain.slice(0, FUNCTION_NAME_MAX - suffix.length)}${suffix}`
}

/** Assigns every tool its function name, in the order given. */
export function assignToolNames(tools: readonly NamedTool[], taken: ReadonlySet<string> = new Set()): Map<string, NamedTool> {
  const names = new Map<string, NamedTool>()
  for (const tool of tools) {
    let name = fit(tool.server, tool.tool)
    for (let counter = 2; names.has(name) || taken.has(name); counter++) {
      const suffix = `_${counter}`
      name = `${fit(tool.server, tool.tool).slice(0, FUNCTION_NAME_MAX - suffix.length)}${suffix}`
    }
    names.set(name, tool)
  }
  return names
}

export function isFunctionName(name: string): boolean {
  return name.length <= FUNCTION_NAME_MAX && ALLOWED.test(name)
}

export function isMcpFunctionName(name: string): boolean {
  return name.startsWith(PREFIX)
}
