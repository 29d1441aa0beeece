// The Response object carried by lifecycle events, the JSON answer and GET /v1/responses/{id}.
// Request settings are echoed back with the API's defaults, as the real server does.
import type { OutputItem, ResponseObject, ResponseStatus, Usage } from '../../src-main/common/protocol/wire'
import type { CreateRequest } from './create-request'

/** `output_text` is computed by the SDK, not sent; `store` is sent but missing from the SDK type. */
export type WireResponse = Omit<ResponseObject, 'output_text'> & { store: boolean }

export interface ResponseFacts {
  id: string
  request: CreateRequest
  createdAt: number
  status: ResponseStatus
  output: OutputItem[]
  usage: Usage | null
  error: { code: string; message: string } | null
  incompleteReason: 'max_output_tokens' | 'content_filter' | 'steered' | null
  completedAt: number | null
}

function pick<T>(params: Record<string, unknown>, key: string, fallback: T): T {
  const value = params[key]
  return value === undefined ? fallback : (value as T)
}

export function buildResponse(facts: ResponseFacts): WireResponse {
  const { params } = facts.request
  const response: WireResponse = {
    id: facts.id,
    object: 'response',
    created_at: facts.createdAt,
    status: facts.status,
    background: false,
    completed_at: facts.completedAt,
    error: facts.error ? { code: facts.error.code as NonNullable<ResponseObject['error']>['code'], message: facts.error.message } : null,
    incomplete_details: facts.incompleteReason ? { reason: facts.incompleteReason } : null,
    instructions: facts.request.instructions,
    max_output_tokens: pick(params, 'max_output_tokens', null),
    max_tool_calls: pick(params, 'max_tool_calls', null),
    model: facts.request.model,
    output: facts.output,
    parallel_tool_calls: facts.request.parallelToolCalls,
    previous_response_id: facts.request.previousResponseId,
    prompt_cache_key: pick(params, 'prompt_cache_key', null),
    reasoning: pick(params, 'reasoning', { effort: null, summary: null }),
    safety_identifier: pick(params, 'safety_identifier', null),
    service_tier: pick(params, 'service_tier', 'default'),
    store: facts.request.store,
    temperature: pick(params, 'temperature', 1),
    text: pick(params, 'text', { format: { type: 'text' }, verbosity: 'medium' }),
    tool_choice: facts.request.toolChoice as ResponseObject['tool_choice'],
    tools: pick(params, 'tools', []),
    top_logprobs: pick(params, 'top_logprobs', 0),
    top_p: pick(params, 'top_p', 1),
    truncation: pick(params, 'truncation', 'disabled'),
    usage: facts.usage ?? undefined,
    user: pick(params, 'user', undefined),
    metadata: pick(params, 'metadata', {}),
    access_programs: null
  }
  if (facts.usage === null) (response as { usage?: unknown }).usage = null
  if (response.user === undefined) delete response.user
  return response
}

export function makeUsage(counts: { input: number; cached: number; output: number; reasoning: number }): Usage {
  return {
    input_tokens: counts.input,
    // Nothing is written to the cache below its 1,024-token minimum (see promptCacheHit).
    input_tokens_details: { cached_tokens: counts.cached, cache_write_tokens: counts.input < 1024 ? 0 : counts.input - counts.cached },
    output_tokens: counts.output,
    output_tokens_details: { reasoning_tokens: counts.reasoning },
    total_tokens: counts.input + counts.output
  }
}
