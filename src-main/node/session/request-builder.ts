// The `response.create` body for a turn: instructions and tools every time; only new input plus
// `previous_response_id` when the server still holds the previous response, the whole
// transcript otherwise.
import type { FunctionTool, InputItem } from '../../common/protocol/wire'
import type { RunState } from '../../common/run/state'
import { pendingInputOf, transcriptOf } from '../../common/run/transcript'

export interface RequestSettings {
  model: string
  instructions: string
  tools: FunctionTool[]
  store: boolean
}

export interface BuiltRequest {
  body: Record<string, unknown>
  mode: 'incremental' | 'full'
  previousResponseId: string | null
  input: InputItem[]
}

export function buildRequest(state: RunState, settings: RequestSettings, previousResponseId: string | null): BuiltRequest {
  const input = previousResponseId === null ? transcriptOf(state) : pendingInputOf(state)
  const body: Record<string, unknown> = {
    model: settings.model,
    instructions: settings.instructions,
    tools: settings.tools,
    tool_choice: 'auto',
    parallel_tool_calls: true,
    store: settings.store,
    // Without server-side storage, encrypted reasoning is what lets a full resend keep it.
    include: settings.store ? [] : ['reasoning.encrypted_content'],
    input
  }
  if (previousResponseId !== null) body.previous_response_id = previousResponseId
  return { body, mode: previousResponseId === null ? 'full' : 'incremental', previousResponseId, input }
}
