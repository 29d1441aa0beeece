import { z } from 'zod'
import type { ServerEvent } from './wire'

export type ProtocolErrorCode = 'binary_frame' | 'malformed_json' | 'not_an_object' | 'missing_type' | 'invalid_event'

/** A frame the client could not accept. It is recorded and shown; it never throws. */
export interface ProtocolError {
  code: ProtocolErrorCode
  message: string
  /** The start of the offending frame, for the log and for a bug report. */
  excerpt: string
}

export type ParsedFrame = { ok: true; event: ServerEvent } | { ok: false; error: ProtocolError }

const EXCERPT_CHARS = 300

const sequence = z.number().int().nonnegative().optional()
const streamId = z.string().optional()
const outputItem = z.looseObject({ type: z.string() })
const responseObject = z.looseObject({
  id: z.string().min(1),
  status: z.string().optional(),
  output: z.array(outputItem).optional()
})
// Some servers leave `output_index` out; the reducer then places the item by its id.
const itemAddress = { item_id: z.string(), output_index: z.number().int().nonnegative().optional() }
const contentAddress = { ...itemAddress, content_index: z.number().int().nonnegative() }
const summaryAddress = { ...itemAddress, summary_index: z.number().int().nonnegative() }
const envelope = { sequence_number: sequence, stream_id: streamId }

const lifecycle = z.looseObject({ ...envelope, response: responseObject })
const itemEvent = z.looseObject({ ...envelope, output_index: z.number().int().nonnegative().optional(), item: outputItem })
const partEvent = z.looseObject({ ...envelope, ...contentAddress, part: z.looseObject({ type: z.string() }) })
const summaryPartEvent = z.looseObject({ ...envelope, ...summaryAddress, part: z.looseObject({ type: z.string() }) })
const contentDelta = z.looseObject({ ...envelope, ...contentAddress, delta: z.string() })
const itemDelta = z.looseObject({ ...envelope, ...itemAddress, delta: z.string() })
const summaryDelta = z.looseObject({ ...envelope, ...summaryAddress, delta: z.string() })
const steer = z.looseObject({ previous_response_id: z.string().optional() })
const nestedError = z.looseObject({
  ...envelope,
  status: z.number().int().optional(),
  error: z.looseObject({ message: z.string(), code: z.string().nullable().optional() })
})
const flatError = z.looseObject({ ...envelope, message: z.string(), code: z.string().nullable().optional() })

/**
 * Shapes of the events Tether acts on. Other known types (hosted tools, audio, MCP) and future
 * types only need a string `type`: the reducer ignores them.
 */
const SCHEMAS: Partial<Record<ServerEvent['type'], z.ZodType>> = {
  'response.queued': lifecycle,
  'response.created': lifecycle,
  'response.in_progress': lifecycle,
  'response.completed': lifecycle,
  'response.failed': lifecycle,
  'response.incomplete': lifecycle,
  'response.output_item.added': itemEvent,
  'response.output_item.done': itemEvent,
  'response.content_part.added': partEvent,
  'response.content_part.done': partEvent,
  'response.output_text.delta': contentDelta,
  'response.output_text.done': z.looseObject({ ...envelope, ...contentAddress, text: z.string() }),
  'response.refusal.delta': contentDelta,
  'response.refusal.done': z.looseObject({ ...envelope, ...contentAddress, refusal: z.string() }),
  'response.function_call_arguments.delta': itemDelta,
  'response.function_call_arguments.done': z.looseObject({ ...envelope, ...itemAddress, arguments: z.string() }),
  'response.reasoning_summary_part.added': summaryPartEvent,
  'response.reasoning_summary_part.done': summaryPartEvent,
  'response.reasoning_summary_text.delta': summaryDelta,
  'response.reasoning_summary_text.done': z.looseObject({ ...envelope, ...summaryAddress, text: z.string() }),
  'response.reasoning_text.delta': contentDelta,
  'response.reasoning_text.done': z.looseObject({ ...envelope, ...contentAddress, text: z.string() }),
  'response.steer.accepted': z.looseObject({ ...envelope, steer }),
  'response.steer.pending': z.looseObject({ ...envelope, steer }),
  'response.steer.failed': z.looseObject({ ...envelope, steer, error: z.looseObject({ message: z.string() }) }),
  error: z.union([nestedError, flatError])
}

function excerptOf(text: string): string {
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text
}

function failure(code: ProtocolErrorCode, message: string, raw: string): ParsedFrame {
  return { ok: false, error: { code, message, excerpt: excerptOf(raw) } }
}

/** Validates one inbound frame (a WebSocket text frame or one SSE `data:` payload). */
export function parseServerFrame(raw: string): ParsedFrame {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch (error) {
    return failure('malformed_json', `frame is not JSON: ${(error as Error).message}`, raw)
  }
  return validateServerEvent(value, raw)
}

/** Validates an already-decoded value; `raw` is only used for the excerpt. */
export function validateServerEvent(value: unknown, raw = JSON.stringify(value) ?? String(value)): ParsedFrame {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return failure('not_an_object', 'frame is not a JSON object', raw)
  }
  const type = (value as { type?: unknown }).type
  if (typeof type !== 'string' || type.length === 0) {
    return failure('missing_type', 'frame has no string "type"', raw)
  }
  const schema = SCHEMAS[type as ServerEvent['type']]
  if (schema) {
    const result = schema.safeParse(value)
    if (!result.success) {
      const issue = result.error.issues[0]
      const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)'
      return failure('invalid_event', `${type}: ${where}: ${issue?.message ?? 'invalid'}`, raw)
    }
  }
  return { ok: true, event: value as ServerEvent }
}
