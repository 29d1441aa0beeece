// The strict function tools sent with every request, generated from the validating schemas so
// the two can never disagree.
import { z } from 'zod'
import type { FunctionTool } from '../../../common/protocol/wire'
import { TOOL_NAMES, TOOL_SCHEMAS } from './tool-schemas'

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

export function toolDefinitions(): FunctionTool[] {
  return TOOL_NAMES.map((name) => {
    const { $schema: _dialect, ...parameters } = z.toJSONSchema(TOOL_SCHEMAS[name].arguments, { io: 'input' }) as Record<string, unknown>
    return { type: 'function', name, description: TOOL_SCHEMAS[name].description, strict: true, parameters: withoutSafeIntegerBounds(parameters) as Record<string, unknown> }
  })
}
