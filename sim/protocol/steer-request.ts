// `response.steer`: only `type`, `previous_response_id` and `input` are allowed, and the input is
// user text (a string, or user messages). Anything else is refused with `invalid_input`.
import type { InputItem } from '../../src-main/common/protocol/wire'

export type SteerCheck = { ok: true; previousResponseId: string; input: InputItem[] } | { ok: false; message: string }

const ALLOWED = new Set(['type', 'previous_response_id', 'input'])

export function parseSteer(body: Record<string, unknown>): SteerCheck {
  const extra = Object.keys(body).find((key) => !ALLOWED.has(key))
  if (extra !== undefined) return { ok: false, message: `Unknown parameter: '${extra}'. A steer takes only 'previous_response_id' and 'input'.` }
  const target = body.previous_response_id
  if (typeof target !== 'string' || target.length === 0) return { ok: false, message: "Missing required parameter: 'previous_response_id'." }
  const input = body.input
  if (typeof input === 'string') {
    if (input.length === 0) return { ok: false, message: "Invalid 'input': empty string." }
    return { ok: true, previousResponseId: target, input: [{ type: 'message', role: 'user', content: input }] }
  }
  if (!Array.isArray(input) || input.length === 0) return { ok: false, message: "Invalid 'input': expected a string or a non-empty array of user messages." }
  const items: InputItem[] = []
  for (const [index, entry] of input.entries()) {
    const message = entry as { type?: unknown; role?: unknown; content?: unknown }
    const isUserMessage =
      typeof entry === 'object' && entry !== null && (message.type === undefined || message.type === 'message') && message.role === 'user' && (typeof message.content === 'string' || Array.isArray(message.content))
    if (!isUserMessage) return { ok: false, message: `Invalid 'input[${index}]': steering accepts only user messages.` }
    items.push({ ...(entry as object), type: 'message' } as InputItem)
  }
  return { ok: true, previousResponseId: target, input: items }
}
