// The `response.create` body for a turn: tools and settings every time; only new input plus
// `previous_response_id` when the server still holds the previous response, the whole
// transcript otherwise. Instructions go wherever the provider allows them (see PROVIDERS).
import type { FunctionTool, InputItem } from '../../common/protocol/wire'
import type { ProviderProfile } from '../../common/providers/providers'
import { reasoningField, type ReasoningSettings } from '../../common/providers/reasoning'
import type { RunState } from '../../common/run/state'
import { pendingInputOf, transcriptOf } from '../../common/run/transcript'

export interface RequestSettings {
  model: string
  instructions: string
  tools: FunctionTool[]
  store: boolean
  /** null: ask nothing of the model's reasoning. */
  reasoning: ReasoningSettings | null
  continuation: ProviderProfile['continuation']
}

export interface BuiltRequest {
  body: Record<string, unknown>
  mode: 'incremental' | 'full'
  previousResponseId: string | null
  input: InputItem[]
}

export function buildRequest(state: RunState, settings: RequestSettings, previousResponseId: string | null): BuiltRequest {
  const input = previousResponseId === null ? transcriptOf(state) : pendingInputOf(state)
  const continuing = previousResponseId !== null
  const body: Record<string, unknown> = {
    model: settings.model,
    tools: settings.tools,
    tool_choice: 'auto',
    parallel_tool_calls: true,
    store: settings.store,
    // Without server-side storage, encrypted reasoning is what lets a full resend keep it.
    include: settings.store ? [] : ['reasoning.encrypted_content'],
    input
  }
  // xAI rejects instructions beside previous_response_id; the response it continues already has them.
  if (!continuing || settings.continuation.instructions) body.instructions = settings.instructions
  const reasoning = settings.reasoning === null ? null : reasoningField(settings.reasoning)
  if (reasoning !== null) body.reasoning = reasoning
  if (continuing) body.previous_response_id = previousResponseId
  return { body, mode: previousResponseId === null ? 'full' : 'incremental', previousResponseId, input }
}
