// Folding one Responses server event into RunState. Tolerates what real servers send: sparse
// streams (deltas without `added` events, terminal events without `output`), response and item ids
// that change mid-stream (some compatible servers rotate them), `output_index` values that skip a
// number while the final `output` is compact, items without `output_index`, and an `error` before
// or after the response's terminal event. Ignores unknown event types, drops duplicates by
// `sequence_number` and records gaps.
import type { OutputItem, ResponseObject, ServerEvent, Usage } from '../protocol/wire'
import { isKnownServerEventType, isNestedError, wireErrorOf } from '../protocol/wire'
import { emptyFunctionCall, emptyMessage, emptyReasoning, itemKeyOf, itemViewOf } from './items'
import { Ownership } from './ownership'
import type { ErrorView, ItemView, ResponseView, ResponseViewStatus, RunState, ToolCallView, ToolCallViewStatus } from './state'
import { requestedCall } from './state'
import { updateTurn } from './turns'

type LifecycleEvent = Extract<ServerEvent, { response: ResponseObject }>
type Sequenced = { sequence_number?: number }

const LIFECYCLE_STATUS: Record<LifecycleEvent['type'], ResponseViewStatus> = {
  'response.queued': 'queued',
  'response.created': 'in_progress',
  'response.in_progress': 'in_progress',
  'response.completed': 'completed',
  'response.failed': 'failed',
  'response.incomplete': 'incomplete'
}

export function isOpenStatus(status: ResponseViewStatus): boolean {
  return status === 'queued' || status === 'in_progress'
}

function isFinishedStatus(status: ToolCallViewStatus): boolean {
  return status !== 'requested' && status !== 'awaiting_approval' && status !== 'running'
}

function isLifecycle(event: ServerEvent): event is LifecycleEvent {
  return event.type in LIFECYCLE_STATUS && 'response' in event
}

function newResponse(id: string | null, turn: number | null): ResponseView {
  return {
    id,
    turn,
    status: 'in_progress',
    previousResponseId: null,
    itemKeys: [],
    usage: null,
    error: null,
    incompleteReason: null,
    ended: false
  }
}

function withResponse(state: RunState, index: number, response: ResponseView, own: Ownership): RunState {
  return own.patch(state, { responses: own.withIndex(state.responses, index, response) })
}

function openActiveIndex(state: RunState): number | null {
  const index = state.cursor.responseIndex
  if (index === null) return null
  const active = state.responses[index]
  return active && isOpenStatus(active.status) ? index : null
}

function appendResponse(state: RunState, id: string | null, own: Ownership): RunState {
  const index = state.responses.length
  return own.patch(state, {
    responses: own.withAppended(state.responses, newResponse(id, state.cursor.turn)),
    responseIndexById: id === null ? state.responseIndexById : own.withKey(state.responseIndexById, id, index),
    cursor: { ...state.cursor, responseIndex: index, lastSequence: null }
  })
}

/** Points the cursor at the response this event belongs to, creating or naming it as needed. */
function enterResponseOf(state: RunState, event: ServerEvent, own: Ownership): RunState {
  if (isLifecycle(event)) {
    const id = event.response.id
    const known = state.responseIndexById[id]
    if (known !== undefined) {
      return known === state.cursor.responseIndex
        ? state
        : own.patch(state, { cursor: { ...state.cursor, responseIndex: known, lastSequence: null } })
    }
    const open = openActiveIndex(state)
    const active = open === null ? null : state.responses[open]
    // While a response streams, a lifecycle event under a new id is that response renamed (a
    // sparse stream naming it late, or a server rotating ids): a new response starts only after
    // the open one ended. The latest name is the one a continuation refers to.
    if (open !== null && active) {
      const named = withResponse(state, open, { ...active, id }, own)
      return own.patch(named, { responseIndexById: own.withKey(named.responseIndexById, id, open) })
    }
    return appendResponse(state, id, own)
  }
  if (openActiveIndex(state) !== null) return state
  const seq = (event as Sequenced).sequence_number
  const last = state.cursor.lastSequence
  // After a terminal event, an old sequence number is a late duplicate, not a new response.
  if (state.cursor.responseIndex !== null && typeof seq === 'number' && last !== null && seq <= last) return state
  return appendResponse(state, null, own)
}

/** Applies the sequence check; returns null for a duplicate. */
function checkSequence(state: RunState, event: ServerEvent, own: Ownership): RunState | null {
  const seq = (event as Sequenced).sequence_number
  if (typeof seq !== 'number' || state.cursor.responseIndex === null) return state
  const last = state.cursor.lastSequence
  if (last !== null && seq <= last) return null
  const cursor = own.patch(state.cursor, { lastSequence: seq })
  if (last !== null && seq > last + 1) {
    const gap = { responseIndex: state.cursor.responseIndex, expected: last + 1, received: seq }
    return own.patch(state, { cursor, gaps: own.withAppended(state.gaps, gap) })
  }
  return own.patch(state, { cursor })
}

function addUsage(total: Usage | null, usage: Usage | null | undefined): Usage | null {
  if (!usage) return total
  if (!total) return usage
  const input = total.input_tokens_details
  const more = usage.input_tokens_details
  return {
    input_tokens: total.input_tokens + usage.input_tokens,
    input_tokens_details: {
      cached_tokens: (input?.cached_tokens ?? 0) + (more?.cached_tokens ?? 0),
      cache_write_tokens: (input?.cache_write_tokens ?? 0) + (more?.cache_write_tokens ?? 0)
    },
    output_tokens: total.output_tokens + usage.output_tokens,
    output_tokens_details: {
      reasoning_tokens:
        (total.output_tokens_details?.reasoning_tokens ?? 0) + (usage.output_tokens_details?.reasoning_tokens ?? 0)
    },
    total_tokens: total.total_tokens + usage.total_tokens
  }
}

function syncToolCall(state: RunState, item: ItemView, own: Ownership): RunState {
  if (item.kind !== 'function_call' || item.callId === null) return state
  const existing = state.toolCalls[item.callId]
  if (existing) {
    // A call of a dropped or failed response (one that may have run early) that a later response
    // asks for again is asked anew: the server never saw its result.
    const earlier = existing.responseIndex === null || existing.responseIndex === item.responseIndex ? undefined : state.responses[existing.responseIndex]
    const askedAgain = earlier?.status === 'dropped' || earlier?.status === 'failed'
    if (existing.status !== 'requested' && !askedAgain) return state
    const name = item.name ?? existing.name
    if (existing.arguments === item.arguments && existing.name === name && existing.itemKey === item.key && existing.responseIndex === item.responseIndex) return state
    const updated: ToolCallView =
      existing.status === 'requested'
        ? { ...existing, name, arguments: item.arguments, itemKey: item.key, responseIndex: item.responseIndex }
        : requestedCall(item.callId, name, item.arguments, item.key, item.responseIndex)
    return own.patch(state, { toolCalls: own.withKey(state.toolCalls, item.callId, updated) })
  }
  const call = requestedCall(item.callId, item.name ?? '', item.arguments, item.key, item.responseIndex)
  return own.patch(state, {
    toolCalls: own.withKey(state.toolCalls, item.callId, call),
    toolCallOrder: own.withAppended(state.toolCallOrder, item.callId)
  })
}

/** Stores an item view at its place in the current response, tracking new items on the timeline. */
function putItem(state: RunState, item: ItemView, own: Ownership): RunState {
  const isNew = state.items[item.key] === undefined
  const response = state.responses[item.responseIndex]
  let next = own.patch(state, { items: own.withKey(state.items, item.key, item) })
  if (response && response.itemKeys[item.outputIndex] !== item.key) {
    const itemKeys = own.withIndex(response.itemKeys, item.outputIndex, item.key, '')
    next = withResponse(next, item.responseIndex, { ...response, itemKeys }, own)
  }
  if (isNew) next = own.patch(next, { timeline: own.withAppended(next.timeline, { kind: 'item', key: item.key }) })
  return syncToolCall(next, item, own)
}

type Place = { key: string; responseIndex: number; outputIndex: number }

/**
 * Where an item goes: by `output_index`, or (without one) where its id already is, else after the
 * last. An item with an id is keyed by it, so finding it again costs one lookup, not a scan.
 */
function placeOf(state: RunState, responseIndex: number, itemId: string | null, outputIndex: number | undefined): Place {
  const response = state.responses[responseIndex]
  if (outputIndex === undefined) {
    const known = itemId === null ? undefined : state.items[itemKeyOf(responseIndex, itemId, 0)]
    if (known) return { key: known.key, responseIndex, outputIndex: known.outputIndex }
    const next = response?.itemKeys.length ?? 0
    return { key: itemKeyOf(responseIndex, itemId, next), responseIndex, outputIndex: next }
  }
  const key = response?.itemKeys[outputIndex] || itemKeyOf(responseIndex, itemId, outputIndex)
  return { key, responseIndex, outputIndex }
}

function itemIdOf(item: OutputItem): string | null {
  return 'id' in item && typeof item.id === 'string' ? item.id : null
}

function putWholeItem(state: RunState, outputIndex: number | undefined, item: OutputItem, done: boolean, own: Ownership): RunState {
  const responseIndex = state.cursor.responseIndex
  if (responseIndex === null) return state
  const view = itemViewOf(placeOf(state, responseIndex, itemIdOf(item), outputIndex), item, done ? 'completed' : 'in_progress')
  return putItem(state, view, own)
}

/**
 * Folds the terminal response's `output`. Its array is compact even where the streamed
 * `output_index` values skipped a number (a real OpenAI stream does), so an item is matched to
 * what streamed by its id first, and by position only when the id is new (servers that rotate ids).
 */
function putFinalOutput(state: RunState, output: OutputItem[], own: Ownership): RunState {
  const responseIndex = state.cursor.responseIndex
  if (responseIndex === null) return state
  const finalIds = new Set(output.map(itemIdOf).filter((id): id is string => id !== null))
  // What streamed, by id: one pass, so a response of n items costs O(n), not O(n²).
  const streamedById = new Map<string, string>()
  for (const key of state.responses[responseIndex]?.itemKeys ?? []) {
    const id = key === '' ? null : (state.items[key]?.id ?? null)
    if (id !== null) streamedById.set(id, key)
  }
  const claimed = new Set<string>()
  let next = state
  output.forEach((item, position) => {
    const id = itemIdOf(item)
    const byId = id === null ? null : (streamedById.get(id) ?? null)
    const atPosition = next.responses[responseIndex]?.itemKeys[position]
    const positionFree =
      atPosition === undefined || atPosition === '' || (!claimed.has(atPosition) && !finalIds.has(next.items[atPosition]?.id ?? ''))
    const outputIndex = byId !== null ? next.items[byId]!.outputIndex : positionFree ? position : (next.responses[responseIndex]?.itemKeys.length ?? position)
    next = putWholeItem(next, outputIndex, item, true, own)
    const key = next.responses[responseIndex]?.itemKeys[outputIndex]
    if (key) claimed.add(key)
  })
  return next
}

type Address = { item_id: string; output_index?: number }

/** Finds the item an event addresses, creating an empty one of the expected kind for sparse streams. */
function itemFor<K extends ItemView['kind']>(
  state: RunState,
  address: Address,
  kind: K & ('message' | 'function_call' | 'reasoning')
): Extract<ItemView, { kind: K }> | null {
  const responseIndex = state.cursor.responseIndex
  if (responseIndex === null) return null
  const place = placeOf(state, responseIndex, address.item_id, address.output_index)
  const existing = state.items[place.key]
  if (existing) return existing.kind === kind ? (existing as Extract<ItemView, { kind: K }>) : null
  const created =
    kind === 'message'
      ? emptyMessage(place, address.item_id)
      : kind === 'function_call'
        ? emptyFunctionCall(place, address.item_id)
        : emptyReasoning(place, address.item_id)
  return created as Extract<ItemView, { kind: K }>
}

function editPart(
  state: RunState,
  address: Address & { content_index: number },
  type: 'output_text' | 'refusal',
  edit: (text: string) => string,
  own: Ownership
): RunState {
  const item = itemFor(state, address, 'message')
  if (!item) return state
  const current = item.parts[address.content_index]
  const part = { type, text: edit(current?.text ?? '') }
  return putItem(state, own.patch(item, { parts: own.withIndex(item.parts, address.content_index, part, { type, text: '' }) }), own)
}

function editArguments(state: RunState, address: Address, edit: (text: string) => string, own: Ownership): RunState {
  const item = itemFor(state, address, 'function_call')
  return item ? putItem(state, own.patch(item, { arguments: edit(item.arguments) }), own) : state
}

function editReasoning(
  state: RunState,
  address: Address,
  field: 'summary' | 'content',
  index: number,
  edit: (text: string) => string,
  own: Ownership
): RunState {
  const item = itemFor(state, address, 'reasoning')
  if (!item) return state
  const list = own.withIndex(item[field], index, edit(item[field][index] ?? ''), '')
  return putItem(state, own.patch(item, { [field]: list }), own)
}

const append = (delta: string) => (text: string) => text + delta
const replace = (value: string) => () => value

function applyLifecycle(state: RunState, event: LifecycleEvent, own: Ownership): RunState {
  const index = state.cursor.responseIndex
  if (index === null) return state
  const current = state.responses[index]
  if (!current) return state
  const response = event.response
  const status = (response.status as ResponseViewStatus | undefined) ?? LIFECYCLE_STATUS[event.type]
  const terminal = !isOpenStatus(status)
  const error = response.error ? { code: response.error.code ?? null, message: response.error.message } : current.error
  let next = withResponse(
    state,
    index,
    {
      ...current,
      status,
      previousResponseId: response.previous_response_id ?? current.previousResponseId,
      usage: response.usage ?? current.usage,
      error,
      incompleteReason: response.incomplete_details?.reason ?? current.incompleteReason
    },
    own
  )
  if (!terminal) return next
  next = withResponse(next, index, { ...next.responses[index]!, ended: true }, own)
  // The terminal response is authoritative; without `output`, the items already seen stand.
  next = putFinalOutput(next, Array.isArray(response.output) ? response.output : [], own)
  next = own.patch(next, { usage: addUsage(next.usage, response.usage) })
  if (status === 'completed' || status === 'incomplete') next = appendEarlyResults(next, index, own)
  if (status === 'failed' && response.error) {
    next = appendError(next, { source: 'response', code: response.error.code ?? null, message: response.error.message, responseIndex: index, at: state.lastTs ?? 0 }, own)
  }
  return next
}

/**
 * Results of the calls that ran while this response streamed, now that it ended as an answer: in
 * the order the response lists its calls. Output of a response that failed or was dropped never
 * joins the conversation, so neither do the results of its calls.
 */
function appendEarlyResults(state: RunState, index: number, own: Ownership): RunState {
  let next = state
  for (const key of state.responses[index]?.itemKeys ?? []) {
    const item = key === '' ? undefined : state.items[key]
    const call = item?.kind === 'function_call' && item.callId !== null ? state.toolCalls[item.callId] : undefined
    if (!call || call.responseIndex !== index || !isFinishedStatus(call.status)) continue
    next = own.patch(next, { timeline: own.withAppended(next.timeline, { kind: 'tool_result', callId: call.callId }) })
  }
  return next
}

/** One failure reported twice (an `error` event and its `response.failed`, in either order) is one error. */
function appendError(state: RunState, error: ErrorView, own: Ownership): RunState {
  const same = state.errors.some(
    (seen) => seen.responseIndex !== null && seen.responseIndex === error.responseIndex && seen.code === error.code && seen.message === error.message
  )
  return same ? state : own.patch(state, { errors: own.withAppended(state.errors, error) })
}

function applyError(state: RunState, event: Extract<ServerEvent, { type: 'error' }>, own: Ownership): RunState {
  const error = wireErrorOf(event)
  const open = openActiveIndex(state)
  // Without an open response, the error may belong to the one that just failed (its `response.failed` came first).
  const last = state.cursor.responseIndex
  const failedJustNow = open === null && last !== null && state.responses[last]?.status === 'failed' && !isNestedErrorWithStatus(event)
  const responseIndex = open ?? (failedJustNow ? last : null)
  let next = appendError(state, { source: 'server', code: error.code, message: error.message, responseIndex, at: state.lastTs ?? 0 }, own)
  if (open !== null) {
    const response = next.responses[open]
    if (response) next = withResponse(next, open, { ...response, status: 'failed', error: { code: error.code, message: error.message } }, own)
  } else if (isNestedError(event)) {
    next = failTurn(next, error.code, error.message, own)
  }
  return next
}

/** Steers are sent one at a time, so the server's acknowledgement belongs to the latest undelivered one. */
function markSteerDelivered(state: RunState, own: Ownership): RunState {
  for (let index = state.userInputs.length - 1; index >= 0; index--) {
    const input = state.userInputs[index]!
    if (input.kind !== 'steer' || input.delivered) continue
    return own.patch(state, { userInputs: own.withIndex(state.userInputs, index, { ...input, delivered: true }) })
  }
  return state
}

export function failTurn(state: RunState, code: string | null, message: string, own: Ownership): RunState {
  const turn = state.cursor.turn
  if (turn === null) return state
  return updateTurn(state, turn, own, (view) => ({ ...view, failure: { code, message } }))
}

function applyEvent(state: RunState, event: ServerEvent, own: Ownership): RunState {
  switch (event.type) {
    case 'response.queued':
    case 'response.created':
    case 'response.in_progress':
    case 'response.completed':
    case 'response.failed':
    case 'response.incomplete':
      return applyLifecycle(state, event, own)
    case 'response.output_item.added':
      return putWholeItem(state, event.output_index, event.item, false, own)
    case 'response.output_item.done':
      return putWholeItem(state, event.output_index, event.item, true, own)
    case 'response.content_part.added':
    case 'response.content_part.done': {
      const part = event.part
      if (part.type === 'output_text') return editPart(state, event, 'output_text', replace(part.text), own)
      if (part.type === 'refusal') return editPart(state, event, 'refusal', replace(part.refusal), own)
      return editReasoning(state, event, 'content', event.content_index, replace(part.text), own)
    }
    case 'response.output_text.delta':
      return editPart(state, event, 'output_text', append(event.delta), own)
    case 'response.output_text.done':
      return editPart(state, event, 'output_text', replace(event.text), own)
    case 'response.refusal.delta':
      return editPart(state, event, 'refusal', append(event.delta), own)
    case 'response.refusal.done':
      return editPart(state, event, 'refusal', replace(event.refusal), own)
    case 'response.function_call_arguments.delta':
      return editArguments(state, event, append(event.delta), own)
    case 'response.function_call_arguments.done':
      return editArguments(state, event, replace(event.arguments), own)
    case 'response.reasoning_summary_part.added':
    case 'response.reasoning_summary_part.done':
      return editReasoning(state, event, 'summary', event.summary_index, replace(event.part.text), own)
    case 'response.reasoning_summary_text.delta':
      return editReasoning(state, event, 'summary', event.summary_index, append(event.delta), own)
    case 'response.reasoning_summary_text.done':
      return editReasoning(state, event, 'summary', event.summary_index, replace(event.text), own)
    case 'response.reasoning_text.delta':
      return editReasoning(state, event, 'content', event.content_index, append(event.delta), own)
    case 'response.reasoning_text.done':
      return editReasoning(state, event, 'content', event.content_index, replace(event.text), own)
    case 'error':
      return applyError(state, event, own)
    case 'response.steer.failed': {
      const view = { source: 'steer' as const, code: event.error.code, message: event.error.message }
      return own.patch(state, { errors: own.withAppended(state.errors, { ...view, responseIndex: null, at: state.lastTs ?? 0 }) })
    }
    case 'response.steer.accepted':
    case 'response.steer.pending':
      return markSteerDelivered(state, own)
    case 'response.output_text.annotation.added':
    case 'response.audio.delta':
    case 'response.audio.done':
    case 'response.audio.transcript.delta':
    case 'response.audio.transcript.done':
    case 'response.code_interpreter_call_code.delta':
    case 'response.code_interpreter_call_code.done':
    case 'response.code_interpreter_call.completed':
    case 'response.code_interpreter_call.in_progress':
    case 'response.code_interpreter_call.interpreting':
    case 'response.compaction.compacting':
    case 'response.file_search_call.completed':
    case 'response.file_search_call.in_progress':
    case 'response.file_search_call.searching':
    case 'response.shell_call_command.added':
    case 'response.shell_call_command.delta':
    case 'response.shell_call_command.done':
    case 'response.shell_call_output_content.delta':
    case 'response.shell_call_output_content.done':
    case 'response.web_search_call.completed':
    case 'response.web_search_call.in_progress':
    case 'response.web_search_call.searching':
    case 'response.image_generation_call.completed':
    case 'response.image_generation_call.generating':
    case 'response.image_generation_call.in_progress':
    case 'response.image_generation_call.partial_image':
    case 'response.mcp_call_arguments.delta':
    case 'response.mcp_call_arguments.done':
    case 'response.mcp_call.completed':
    case 'response.mcp_call.failed':
    case 'response.mcp_call.in_progress':
    case 'response.mcp_list_tools.completed':
    case 'response.mcp_list_tools.failed':
    case 'response.mcp_list_tools.in_progress':
    case 'response.custom_tool_call_input.delta':
    case 'response.custom_tool_call_input.done':
      return state
    default:
      // Types the SDK does not know yet reach this point at run time; they are ignored.
      return ignoreUnknown(event)
  }

  function ignoreUnknown(_event: never): RunState {
    return state
  }
}

/** A request rejected before any response: the nested shape with an HTTP-like status. */
function isNestedErrorWithStatus(event: Extract<ServerEvent, { type: 'error' }>): boolean {
  return isNestedError(event) && typeof event.status === 'number'
}

/**
 * Events that belong to a response's stream (as opposed to steering and request-level errors).
 * An error inside a streaming response counts, whichever shape it takes: OpenAI streams a nested
 * `error` without `status` (with a `sequence_number`) before `response.failed`.
 */
function belongsToResponse(state: RunState, event: ServerEvent): boolean {
  if (event.type === 'error') return openActiveIndex(state) !== null && !isNestedErrorWithStatus(event)
  return event.type.startsWith('response.') && !event.type.startsWith('response.steer.')
}

/** A lifecycle event for a response that already ended is a late duplicate: never reopen or recount it. */
function isForEndedResponse(state: RunState, event: ServerEvent): boolean {
  if (!isLifecycle(event)) return false
  const known = state.responseIndexById[event.response.id]
  const response = known === undefined ? undefined : state.responses[known]
  // A response an `error` ended still takes its terminal event once: that carries the usage.
  return response !== undefined && !isOpenStatus(response.status) && (response.ended || response.status === 'dropped')
}

/**
 * Unknown types (vendor extras, keepalives, future types) never open or name a response. Inside an
 * open response their sequence numbers still count, so skipping them leaves no false gap.
 */
function skipUnknown(state: RunState, event: ServerEvent, own: Ownership): RunState {
  if (openActiveIndex(state) === null) return state
  return checkSequence(state, event, own) ?? state
}

/** Folds one server event. `own` is the fold's copy-on-write ownership; a lone call copies what it changes. */
export function reduceServerEvent(state: RunState, event: ServerEvent, own = new Ownership()): RunState {
  if (!isKnownServerEventType(event.type)) return skipUnknown(state, event, own)
  if (!belongsToResponse(state, event)) return applyEvent(state, event, own)
  if (isForEndedResponse(state, event)) return own.patch(state, { duplicates: state.duplicates + 1 })
  const entered = enterResponseOf(state, event, own)
  const checked = checkSequence(entered, event, own)
  // A late lifecycle event may name a response and still be a duplicate: the name is kept.
  if (checked === null) return own.patch(entered, { duplicates: entered.duplicates + 1 })
  return applyEvent(checked, event, own)
}
