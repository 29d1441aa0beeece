// The argument shapes of the tools Tether exposes to the model (all keys required; optional
// values are null). Scenarios must call tools exactly like this.
export const TETHER_TOOL_ARGUMENTS: Record<string, Record<string, 'string' | 'integer|null' | 'string|null'>> = {
  shell: { command: 'string', timeout_ms: 'integer|null' },
  script: { code: 'string' },
  read_file: { path: 'string', start_line: 'integer|null', end_line: 'integer|null' },
  list_dir: { path: 'string' },
  search: { pattern: 'string', path: 'string|null' },
  write_file: { path: 'string', content: 'string' },
  edit_file: { path: 'string', old_text: 'string', new_text: 'string' }
}

/** Problems with one call's name and arguments against Tether's tool shapes. */
export function toolCallProblems(name: string, args: unknown): string[] {
  const shape = TETHER_TOOL_ARGUMENTS[name]
  if (!shape) return [`unknown tool ${name}`]
  if (typeof args !== 'object' || args === null) return [`${name}: arguments are not an object`]
  const record = args as Record<string, unknown>
  const problems = Object.keys(record).filter((key) => !(key in shape)).map((key) => `${name}: unexpected argument ${key}`)
  for (const [key, type] of Object.entries(shape)) {
    const value = record[key]
    const ok =
      type === 'string' ? typeof value === 'string' : type === 'string|null' ? value === null || typeof value === 'string' : value === null || Number.isInteger(value)
    if (!(key in record)) problems.push(`${name}: missing ${key}`)
    else if (!ok) problems.push(`${name}: ${key} should be ${type}`)
  }
  return problems
}
