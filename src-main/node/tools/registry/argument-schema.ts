// A tool's arguments: the JSON schema the model sees and the check of what it sends back, from one
// definition. Built-in tools write theirs in zod; tools that arrive with a JSON schema (MCP
// servers) bring that schema, which is sent as it came and checked through zod's reading of it.
import { z } from 'zod'

export type ArgumentCheck<Args> = { ok: true; args: Args } | { ok: false; message: string }

export interface ArgumentSchema<Args> {
  /** The function tool's `parameters`, as sent to the model. */
  readonly jsonSchema: Record<string, unknown>
  check(value: unknown): ArgumentCheck<Args>
}

/** zod writes the safe-integer range into every integer; it says nothing to the model. */
function withoutSafeIntegerBounds(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutSafeIntegerBounds)
  if (schema === null || typeof schema !== 'object') return schema
  const cleaned: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(schema)) {
    if ((key === 'minimum' && value === Number.MIN_SAFE_INTEGER) || (key === 'maximum' && value === Number.MAX_SAFE_INTEGER)) continue
    cleaned[key] = withoutSafeIntegerBounds(value)
  }
  return cleaned
}

function checkWith<Args>(schema: z.ZodType<Args>, value: unknown): ArgumentCheck<Args> {
  const parsed = schema.safeParse(value)
  return parsed.success ? { ok: true, args: parsed.data } : { ok: false, message: z.prettifyError(parsed.error).replaceAll('\n', ' ') }
}

/** Arguments defined in zod; the model sees the schema's input side, without the `$schema` dialect. */
export function zodArguments<Args>(schema: z.ZodType<Args>): ArgumentSchema<Args> {
  const { $schema: _dialect, ...parameters } = z.toJSONSchema(schema, { io: 'input' })
  const jsonSchema = withoutSafeIntegerBounds(parameters)
  return {
    jsonSchema: z.record(z.string(), z.unknown()).parse(jsonSchema),
    check: (value) => checkWith(schema, value)
  }
}

/** Arguments defined by a JSON schema from elsewhere (an MCP server's `inputSchema`): sent unchanged, checked by zod. */
export function jsonSchemaArguments(jsonSchema: Record<string, unknown>): ArgumentSchema<Record<string, unknown>> {
  const schema = z.record(z.string(), z.unknown()).and(z.fromJSONSchema(jsonSchema))
  return { jsonSchema, check: (value) => checkWith(schema, value) }
}
