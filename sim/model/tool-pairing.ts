// The real API refuses a context in which a function call has no output, or an output answers a
// call it has never seen. The scripted model relies on the same invariant to count tool outputs.
import type { InputItem } from '../../src-main/common/protocol/wire'
import { errors, type ApiError } from '../protocol/errors'

export function checkToolPairing(context: readonly InputItem[]): ApiError | null {
  const calls = new Set<string>()
  const answered = new Set<string>()
  for (const item of context) {
    const loose = item as { type?: string; call_id?: string }
    if (loose.type === 'function_call' && typeof loose.call_id === 'string') calls.add(loose.call_id)
    if (loose.type === 'function_call_output' && typeof loose.call_id === 'string') {
      if (!calls.has(loose.call_id)) return errors.noToolCall(loose.call_id)
      answered.add(loose.call_id)
    }
  }
  for (const callId of calls) {
    if (!answered.has(callId)) return errors.noToolOutput(callId)
  }
  return null
}
