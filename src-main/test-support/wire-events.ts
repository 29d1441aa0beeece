// Realistic Responses server streams for tests, shaped as the API sends them over the socket:
// lifecycle events carry a full Response object, items follow the SSE grammar
// (item added -> part added -> deltas -> done events -> item done), sequence numbers count from 0.
// Pure TypeScript: reducer tests in src-main/common use it too.
import type {
  FunctionCallItem,
  FunctionTool,
  OutputItem,
  OutputMessageItem,
  OutputTextContent,
  RefusalContent,
  ReasoningItem,
  ResponseObject,
  ResponseStatus,
  ServerEvent,
  Usage
} from '../common/protocol/wire'

export const MODEL = 'gpt-5.2'
export const CREATED_AT = 1767225600

export const WEATHER_TOOL: FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Get current weather for a city.',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false
  },
  strict: true
}

/** Usage as the wire sends it: `input_tokens_details` carries only `cached_tokens`. */
export function wireUsage(input: number, output: number, cached = 0, reasoning = 0): Usage {
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: input + output
  } as Usage
}

export interface StreamOptions {
  previousResponseId?: string | null
  /**
   * Sparse output, as the SDK's socket lane tolerates: no `output_item.added` or
   * `content_part.*` events, and terminal events without `output`.
   */
  sparse?: boolean
}

/** Builds one response's event stream; each method appends events with the next sequence number. */
export class ResponseStream {
  readonly id: string
  readonly events: ServerEvent[] = []
  readonly output: OutputItem[] = []
  #sequence = 0
  #options: StreamOptions

  constructor(id: string, options: StreamOptions = {}) {
    this.id = id
    this.#options = options
  }

  get nextSequence(): number {
    return this.#sequence
  }

  /** The Response object of a lifecycle event, with the fields the API always sends. */
  response(status: ResponseStatus, extra: Partial<ResponseObject> = {}): ResponseObject {
    const done = status !== 'queued' && status !== 'in_progress'
    const output = done && !this.#options.sparse ? this.output.slice() : []
    return {
      id: this.id,
      object: 'response',
      created_at: CREATED_AT,
      status,
      model: MODEL,
      output,
      output_text: '',
      previous_response_id: this.#options.previousResponseId ?? null,
      instructions: 'You are a terse assistant.',
      tools: [WEATHER_TOOL],
      tool_choice: 'auto',
      parallel_tool_calls: true,
      temperature: 1,
      top_p: 1,
      error: null,
      incomplete_details: null,
      metadata: {},
      access_programs: null,
      ...(done ? { completed_at: CREATED_AT + 2 } : {}),
      ...extra
    }
  }

  /** Appends an event as given, stamping the next sequence number. */
  push(event: ServerEvent): this {
    this.events.push({ ...event, sequence_number: this.#sequence } as ServerEvent)
    this.#sequence += 1
    return this
  }

  /** Appends an event without advancing the sequence (a duplicate) or with a chosen number (a gap). */
  pushWithSequence(event: ServerEvent, sequenceNumber: number): this {
    this.events.push({ ...event, sequence_number: sequenceNumber } as ServerEvent)
    this.#sequence = Math.max(this.#sequence, sequenceNumber + 1)
    return this
  }

  queued(): this {
    return this.push({ type: 'response.queued', response: this.response('queued'), sequence_number: 0 })
  }

  created(): this {
    return this.push({ type: 'response.created', response: this.response('in_progress'), sequence_number: 0 })
  }

  inProgress(): this {
    return this.push({ type: 'response.in_progress', response: this.response('in_progress'), sequence_number: 0 })
  }

  /** An assistant message with one `output_text` part streamed in `chunks`. */
  message(itemId: string, chunks: string[]): this {
    const outputIndex = this.output.length
    const text = chunks.join('')
    const part = { type: 'output_text' as const, text, annotations: [] }
    const item: OutputMessageItem = { id: itemId, type: 'message', status: 'completed', role: 'assistant', content: [part] }
    const address = { item_id: itemId, output_index: outputIndex, content_index: 0 }
    this.#added(outputIndex, { ...item, status: 'in_progress', content: [] })
    this.#part('response.content_part.added', address, { ...part, text: '' })
    for (const delta of chunks) {
      this.push({ type: 'response.output_text.delta', ...address, delta, logprobs: [], sequence_number: 0 })
    }
    this.push({ type: 'response.output_text.done', ...address, text, logprobs: [], sequence_number: 0 })
    this.#part('response.content_part.done', address, part)
    return this.#done(outputIndex, item)
  }

  /** An assistant message that refuses, streamed as `refusal` deltas. */
  refusal(itemId: string, chunks: string[]): this {
    const outputIndex = this.output.length
    const refusal = chunks.join('')
    const part = { type: 'refusal' as const, refusal }
    const item: OutputMessageItem = { id: itemId, type: 'message', status: 'completed', role: 'assistant', content: [part] }
    const address = { item_id: itemId, output_index: outputIndex, content_index: 0 }
    this.#added(outputIndex, { ...item, status: 'in_progress', content: [] })
    this.#part('response.content_part.added', address, { ...part, refusal: '' })
    for (const delta of chunks) this.push({ type: 'response.refusal.delta', ...address, delta, sequence_number: 0 })
    this.push({ type: 'response.refusal.done', ...address, refusal, sequence_number: 0 })
    this.#part('response.content_part.done', address, part)
    return this.#done(outputIndex, item)
  }

  /** A function call whose JSON arguments stream in `chunks`. */
  functionCall(itemId: string, callId: string, name: string, chunks: string[]): this {
    const outputIndex = this.output.length
    const args = chunks.join('')
    const item: FunctionCallItem = { id: itemId, type: 'function_call', status: 'completed', call_id: callId, name, arguments: args }
    const address = { item_id: itemId, output_index: outputIndex }
    this.#added(outputIndex, { ...item, status: 'in_progress', arguments: '' })
    for (const delta of chunks) this.push({ type: 'response.function_call_arguments.delta', ...address, delta, sequence_number: 0 })
    this.push({ type: 'response.function_call_arguments.done', ...address, arguments: args, sequence_number: 0 })
    return this.#done(outputIndex, item)
  }

  /** A reasoning item with summary parts, each streamed in chunks. */
  reasoning(itemId: string, summaries: string[][], encryptedContent: string | null = null): this {
    const outputIndex = this.output.length
    const summary = summaries.map((chunks) => ({ type: 'summary_text' as const, text: chunks.join('') }))
    const item: ReasoningItem = { id: itemId, type: 'reasoning', summary, encrypted_content: encryptedContent }
    this.#added(outputIndex, { id: itemId, type: 'reasoning', summary: [] })
    summaries.forEach((chunks, summaryIndex) => {
      const address = { item_id: itemId, output_index: outputIndex, summary_index: summaryIndex }
      const text = chunks.join('')
      if (!this.#options.sparse) {
        this.push({ type: 'response.reasoning_summary_part.added', ...address, part: { type: 'summary_text', text: '' }, sequence_number: 0 })
      }
      for (const delta of chunks) this.push({ type: 'response.reasoning_summary_text.delta', ...address, delta, sequence_number: 0 })
      this.push({ type: 'response.reasoning_summary_text.done', ...address, text, sequence_number: 0 })
      if (!this.#options.sparse) {
        this.push({ type: 'response.reasoning_summary_part.done', ...address, part: { type: 'summary_text', text }, sequence_number: 0 })
      }
    })
    return this.#done(outputIndex, item)
  }

  completed(usage: Usage): this {
    return this.push({ type: 'response.completed', response: this.response('completed', { usage }), sequence_number: 0 })
  }

  incomplete(reason: 'max_output_tokens' | 'content_filter', usage: Usage): this {
    const response = this.response('incomplete', { usage, incomplete_details: { reason } })
    return this.push({ type: 'response.incomplete', response, sequence_number: 0 })
  }

  failed(code: 'server_error' | 'rate_limit_exceeded', message: string, usage?: Usage): this {
    const response = this.response('failed', { error: { code, message }, ...(usage ? { usage } : {}) })
    return this.push({ type: 'response.failed', response, sequence_number: 0 })
  }

  /** The flat `error` shape: a failure while the response streams. */
  streamingError(code: string, message: string): this {
    return this.push({ type: 'error', code, message, param: null, sequence_number: 0 })
  }

  #added(outputIndex: number, item: OutputItem): void {
    if (this.#options.sparse) return
    this.push({ type: 'response.output_item.added', output_index: outputIndex, item, sequence_number: 0 })
  }

  #part(
    type: 'response.content_part.added' | 'response.content_part.done',
    address: { item_id: string; output_index: number; content_index: number },
    part: OutputTextContent | RefusalContent
  ): void {
    if (this.#options.sparse) return
    this.push({ type, ...address, part, sequence_number: 0 })
  }

  #done(outputIndex: number, item: OutputItem): this {
    this.output.push(item)
    return this.push({ type: 'response.output_item.done', output_index: outputIndex, item, sequence_number: 0 })
  }
}

/** The nested `error` shape: the request was refused before any response existed. */
export function requestError(status: number, code: string, message: string, param: string | null = null): ServerEvent {
  return { type: 'error', status, error: { type: 'invalid_request_error', code, message, param } }
}
