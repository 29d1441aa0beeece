// Validation of a create request (HTTP body or WebSocket `response.create`), as the server sees it
// on receipt: shape only. Everything that depends on state (the parent response, tool outputs)
// is checked when the request starts.
import type { InputItem } from '../../src-main/common/protocol/wire'
import { errors, type ApiError } from './errors'
import { HTTP_CREATE_PARAMETERS, INPUT_ITEM_TYPES, MESSAGE_ROLES, TOOL_CHOICE_MODES, WS_ONLY_CREATE_PARAMETERS } from './known-parameters'

export type Transport = 'ws' | 'http'

export interface CreateRequest {
  transport: Transport
  /** The HTTP-equivalent body (WebSocket envelope removed), echoed into the Response object. */
  params: Record<string, unknown>
  model: string
  input: InputItem[]
  instructions: string | null
  previousResponseId: string | null
  /** The API default is `true`. */
  store: boolean
  /** HTTP only: SSE when true, one JSON Response otherwise. Implicit over WebSocket. */
  stream: boolean
  /** WebSocket lane; undefined is the default lane. */
  streamId: string | undefined
  /** False for a warmup (`generate: false` or `prompt_cache_options.prewarm`). */
  generate: boolean
  includeEncryptedReasoning: boolean
  toolChoice: unknown
  parallelToolCalls: boolean
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: ApiError }

export const STREAM_ID_PATTERN = /^[A-Za-z0-9_.-]{1,256}$/

function fail(error: ApiError): { ok: false; error: ApiError } {
  return { ok: false, error }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `xai`: xAI's create-response rules on top of OpenAI's (a continuation may not carry instructions). */
export function parseCreateRequest(body: unknown, transport: Transport, dialect: 'openai' | 'xai' = 'openai'): Checked<CreateRequest> {
  if (!isObject(body)) return fail(errors.invalidType('body', 'an object', body))
  for (const key of Object.keys(body)) {
    const known = HTTP_CREATE_PARAMETERS.has(key) || (transport === 'ws' && WS_ONLY_CREATE_PARAMETERS.has(key))
    if (!known) return fail(errors.unknownParameter(key))
  }
  const { type: _type, stream_id: streamId, generate, ...params } = body

  const model = body.model
  if (model === undefined || model === null) return fail(errors.missingParameter('model'))
  if (typeof model !== 'string' || model.length === 0) return fail(errors.invalidType('model', 'a non-empty string', model))

  const optional: Array<[string, 'string' | 'boolean' | 'array' | 'object']> = [
    ['instructions', 'string'],
    ['previous_response_id', 'string'],
    ['store', 'boolean'],
    ['stream', 'boolean'],
    ['background', 'boolean'],
    ['parallel_tool_calls', 'boolean'],
    ['include', 'array'],
    ['tools', 'array'],
    ['metadata', 'object'],
    ['reasoning', 'object'],
    ['text', 'object'],
    ['prompt_cache_options', 'object']
  ]
  for (const [name, kind] of optional) {
    const value = body[name]
    if (value === undefined || value === null) continue
    const matches = kind === 'array' ? Array.isArray(value) : kind === 'object' ? isObject(value) : typeof value === kind
    if (!matches) return fail(errors.invalidType(name, kind === 'array' ? 'an array' : `a${kind === 'object' ? 'n' : ''} ${kind}`, value))
  }

  if (body.previous_response_id != null && body.conversation != null) return fail(errors.conflictingContinuation())
  if (dialect === 'xai' && body.previous_response_id != null && body.instructions != null) return fail(errors.instructionsWithContinuation())
  if (transport === 'ws' && body.background === true) return fail(errors.backgroundOverWebSocket())

  if (streamId !== undefined && (typeof streamId !== 'string' || !STREAM_ID_PATTERN.test(streamId))) return fail(errors.invalidStreamId())
  if (generate !== undefined && typeof generate !== 'boolean') return fail(errors.invalidType('generate', 'a boolean', generate))

  const include = (body.include as unknown[] | null | undefined) ?? []
  for (const [index, entry] of include.entries()) {
    if (typeof entry !== 'string') return fail(errors.invalidType(`include[${index}]`, 'a string', entry))
  }
  const toolsChecked = checkTools((body.tools as unknown[] | null | undefined) ?? [])
  if (!toolsChecked.ok) return toolsChecked
  const toolChoice = body.tool_choice ?? 'auto'
  if (typeof toolChoice === 'string' ? !TOOL_CHOICE_MODES.includes(toolChoice) : !isObject(toolChoice)) {
    return fail(errors.invalidValue('tool_choice', toolChoice, TOOL_CHOICE_MODES))
  }

  const input = normalizeInput(body.input)
  if (!input.ok) return input
  const prewarm = isObject(body.prompt_cache_options) && body.prompt_cache_options.prewarm === true

  return {
    ok: true,
    value: {
      transport,
      params,
      model,
      input: input.value,
      instructions: (body.instructions as string | null | undefined) ?? null,
      previousResponseId: (body.previous_response_id as string | null | undefined) ?? null,
      store: (body.store as boolean | null | undefined) ?? true,
      stream: body.stream === true,
      streamId: streamId as string | undefined,
      generate: generate !== false && !prewarm,
      includeEncryptedReasoning: include.includes('reasoning.encrypted_content'),
      toolChoice,
      parallelToolCalls: (body.parallel_tool_calls as boolean | null | undefined) ?? true
    }
  }
}

function checkTools(tools: unknown[]): Checked<null> {
  for (const [index, tool] of tools.entries()) {
    if (!isObject(tool)) return fail(errors.invalidType(`tools[${index}]`, 'an object', tool))
    if (typeof tool.type !== 'string') return fail(errors.missingParameter(`tools[${index}].type`))
    if (tool.type === 'function' && (typeof tool.name !== 'string' || tool.name.length === 0)) {
      return fail(errors.missingParameter(`tools[${index}].name`))
    }
  }
  return { ok: true, value: null }
}

/** A string input is one user message; array items are checked where the server relies on them. */
export function normalizeInput(input: unknown): Checked<InputItem[]> {
  if (input === undefined || input === null) return { ok: true, value: [] }
  if (typeof input === 'string') return { ok: true, value: [{ type: 'message', role: 'user', content: input }] }
  if (!Array.isArray(input)) return fail(errors.invalidType('input', 'a string or an array', input))
  const items: InputItem[] = []
  for (const [index, item] of input.entries()) {
    const problem = checkInputItem(item, `input[${index}]`)
    if (problem) return fail(problem)
    items.push(item as InputItem)
  }
  return { ok: true, value: items }
}

function checkInputItem(item: unknown, at: string): ApiError | null {
  if (!isObject(item)) return errors.invalidType(at, 'an object', item)
  const type = item.type ?? (item.role !== undefined ? 'message' : undefined)
  if (type === undefined) return errors.missingParameter(`${at}.type`)
  if (typeof type !== 'string' || !INPUT_ITEM_TYPES.includes(type)) return errors.invalidValue(`${at}.type`, type, INPUT_ITEM_TYPES)
  switch (type) {
    case 'message':
      if (typeof item.role !== 'string' || !MESSAGE_ROLES.includes(item.role)) return errors.invalidValue(`${at}.role`, item.role, MESSAGE_ROLES)
      if (typeof item.content !== 'string' && !Array.isArray(item.content)) return errors.invalidType(`${at}.content`, 'a string or an array', item.content)
      return null
    case 'function_call':
      for (const field of ['call_id', 'name', 'arguments']) {
        if (typeof item[field] !== 'string') return item[field] === undefined ? errors.missingParameter(`${at}.${field}`) : errors.invalidType(`${at}.${field}`, 'a string', item[field])
      }
      return null
    case 'function_call_output':
      if (typeof item.call_id !== 'string') return item.call_id === undefined ? errors.missingParameter(`${at}.call_id`) : errors.invalidType(`${at}.call_id`, 'a string', item.call_id)
      if (typeof item.output !== 'string' && !Array.isArray(item.output)) {
        return item.output === undefined ? errors.missingParameter(`${at}.output`) : errors.invalidType(`${at}.output`, 'a string or an array', item.output)
      }
      return null
    case 'reasoning':
      if (!Array.isArray(item.summary)) return item.summary === undefined ? errors.missingParameter(`${at}.summary`) : errors.invalidType(`${at}.summary`, 'an array', item.summary)
      if (item.encrypted_content != null && typeof item.encrypted_content !== 'string') return errors.invalidType(`${at}.encrypted_content`, 'a string', item.encrypted_content)
      return null
    default:
      return null
  }
}
