// The strict function tools sent with every request, generated from the validating schemas so
// the two can never disagree.
import { z } from 'zod'
import type { FunctionTool } from '../../../common/protocol/wire'
import { TOOL_NAMES, TOOL_SCHEMAS } from './tool-schemas'

export function toolDefinitions(): FunctionTool[] {
  return TOOL_NAMES.map((name) => {
    const { $schema: _dialect, ...parameters } = z.toJSONSchema(TOOL_SCHEMAS[name].arguments, { io: 'input' }) as Record<string, unknown>
    return { type: 'function', name, description: TOOL_SCHEMAS[name].description, strict: true, parameters }
  })
}
