// One readable line for an output item Tether does not run itself: hosted tools (web search, file
// search, code interpreter, image generation, MCP, shell), compaction, and types not known yet.
// Shown in the transcript, `tether replay` and `--json` beside the item's type; never dropped.

const LIMIT = 160

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > LIMIT ? `${line.slice(0, LIMIT - 1)}…` : line
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim().length > 0 ? value : null
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.flatMap((entry) => (typeof entry === 'string' ? [entry] : [])) : []
}

function field(item: Record<string, unknown>, ...path: string[]): unknown {
  let value: unknown = item
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined
  return value
}

function webSearch(item: Record<string, unknown>): string {
  const action = field(item, 'action') as Record<string, unknown> | undefined
  const kind = text(action?.type)
  if (kind === 'open_page') return `opened ${text(action?.url) ?? 'a page'}`
  if (kind === 'find' || kind === 'find_in_page') return `looked for "${text(action?.pattern) ?? ''}" in ${text(action?.url) ?? 'a page'}`
  const queries = [text(action?.query), ...list(action?.queries)].filter((query): query is string => query !== null)
  return queries.length > 0 ? `searched the web: ${[...new Set(queries)].join('; ')}` : 'searched the web'
}

function summarizeKnown(type: string, item: Record<string, unknown>): string | null {
  switch (type) {
    case 'web_search_call':
      return webSearch(item)
    case 'file_search_call': {
      const queries = list(item.queries)
      return queries.length > 0 ? `searched files: ${queries.join('; ')}` : 'searched files'
    }
    case 'code_interpreter_call': {
      const code = text(item.code)
      return code ? `ran code: ${code.split('\n').find((line) => line.trim().length > 0) ?? ''}` : 'ran code'
    }
    case 'image_generation_call':
      return text(item.revised_prompt) ? `generated an image: ${item.revised_prompt as string}` : 'generated an image'
    case 'mcp_call': {
      const name = [text(item.server_label), text(item.name)].filter(Boolean).join('.')
      const failed = text(item.error) ? ` (failed: ${item.error as string})` : ''
      return `called ${name || 'an MCP tool'}(${text(item.arguments) ?? ''})${failed}`
    }
    case 'mcp_list_tools': {
      const tools = Array.isArray(item.tools) ? item.tools.length : 0
      return `listed ${tools} tool${tools === 1 ? '' : 's'} of ${text(item.server_label) ?? 'an MCP server'}`
    }
    case 'mcp_approval_request':
      return `asks approval to call ${[text(item.server_label), text(item.name)].filter(Boolean).join('.')}(${text(item.arguments) ?? ''})`
    case 'local_shell_call':
      return `shell: ${list(field(item, 'action', 'command')).join(' ')}`
    case 'shell_call':
      return `shell: ${list(field(item, 'action', 'commands')).join('; ')}`
    case 'shell_call_output':
      return 'shell output'
    case 'apply_patch_call': {
      const operation = field(item, 'operation') as Record<string, unknown> | undefined
      return `patch: ${[text(operation?.type), text(operation?.path)].filter(Boolean).join(' ')}`
    }
    case 'custom_tool_call':
      return `${text(item.name) ?? 'custom tool'}: ${text(item.input) ?? ''}`
    case 'computer_call':
      return `computer: ${text(field(item, 'action', 'type')) ?? 'action'}`
    case 'compaction':
      return 'compacted the conversation'
    case 'tool_search_call':
      return 'searched its tools'
    case 'tool_search_output':
      return 'found tools'
    default:
      return null
  }
}

/** The item's fields a person can make sense of, for types nobody described yet. */
function fallback(item: Record<string, unknown>): string {
  const skip = new Set(['type', 'id', 'status', 'encrypted_content', 'result'])
  const parts = Object.entries(item)
    .filter(([key, value]) => !skip.has(key) && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'))
    .map(([key, value]) => `${key}: ${String(value)}`)
  return parts.length > 0 ? parts.join(', ') : 'no details'
}

export function summarizeItem(item: { type: string }): string {
  const fields = item as unknown as Record<string, unknown>
  return clip(summarizeKnown(item.type, fields) ?? fallback(fields))
}
