// Turns a scripted turn into what a response streams: its final output items and the timed
// sequence of item events (the lifecycle events around them are added by the player). The event
// grammar is the SSE one: output_item.added -> content_part.added -> deltas -> *.done ->
// content_part.done -> output_item.done; function calls stream their arguments.
//
// Timing model: the first output item appears `ttftMs` after the response starts; each delta of
// N tokens follows N x `tokenIntervalMs` after the previous event; every other event is immediate.
// So a response takes ttftMs + tokenIntervalMs x outputTokens (plus render cost, see README).
import type { FunctionCallItem, OutputItem, OutputMessageItem, ReasoningItem } from '../../src-main/common/protocol/wire'
import { assertNever } from '../../src-main/common/run/records'
import type { EventBody } from '../protocol/event-body'
import type { ScriptedItem, Timing, Turn } from '../scenarios/scenario-schema'
import { sealReasoning } from './encrypted-reasoning'
import type { IdFactory } from './ids'
import { chunkTokens, fillerText, tokenize } from './tokenize'

export interface PlannedStep {
  gapMs: number
  event: EventBody
}

export interface ResponsePlan {
  items: OutputItem[]
  steps: PlannedStep[]
  outputTokens: number
  reasoningTokens: number
}

export type PlannedEnding = { status: 'completed' } | { status: 'incomplete'; reason: 'max_output_tokens' | 'content_filter' } | { status: 'failed'; code: string; message: string }

export interface RenderOptions {
  timing: Timing
  ids: IdFactory
  /** How many of the turn's calls the conversation has already answered (see turn-selector). */
  callsAnswered: number
  parallelToolCalls: boolean
  toolChoice: unknown
  includeEncryptedReasoning: boolean
  /** For `incomplete` endings the last item is cut in half and left incomplete. */
  truncateLastItem: boolean
}

/** The items a turn plays given what the conversation already holds and the request's tool settings. */
export function selectItems(turn: Turn, options: Pick<RenderOptions, 'callsAnswered' | 'parallelToolCalls' | 'toolChoice'>): ScriptedItem[] {
  let items = options.callsAnswered > 0 ? turn.output.filter((item) => item.type === 'function_call').slice(options.callsAnswered) : turn.output
  if (options.toolChoice === 'none') items = items.filter((item) => item.type !== 'function_call')
  if (!options.parallelToolCalls) {
    const firstCall = items.findIndex((item) => item.type === 'function_call')
    if (firstCall >= 0) items = items.filter((item, index) => item.type !== 'function_call' || index === firstCall)
  }
  if (items.length === 0) items = [{ type: 'message', text: 'Tool calls are disabled for this request, so there is nothing more to do.' }]
  return items
}

export function renderItems(items: readonly ScriptedItem[], options: RenderOptions): ResponsePlan {
  const plan: ResponsePlan = { items: [], steps: [], outputTokens: 0, reasoningTokens: 0 }
  const { timing } = options
  let firstStep = true
  const push = (event: EventBody, gapMs = 0): void => {
    plan.steps.push({ gapMs: firstStep ? timing.ttftMs + gapMs : gapMs, event })
    firstStep = false
  }
  const stream = (text: string, truncate: boolean): { chunks: Array<{ text: string; gapMs: number }>; text: string } => {
    let tokens = tokenize(text)
    if (truncate) tokens = tokens.slice(0, Math.ceil(tokens.length / 2))
    plan.outputTokens += tokens.length
    const chunks = chunkTokens(tokens, timing.tokensPerDelta).map((chunk) => ({ text: chunk.text, gapMs: chunk.tokens * timing.tokenIntervalMs }))
    return { chunks, text: tokens.join('') }
  }

  for (const [outputIndex, scripted] of items.entries()) {
    const truncate = options.truncateLastItem && outputIndex === items.length - 1
    const status = truncate ? 'incomplete' : 'completed'
    switch (scripted.type) {
      case 'reasoning': {
        const id = options.ids.next('rs')
        const before = plan.outputTokens
        const { chunks, text } = stream(scripted.summary, truncate)
        plan.reasoningTokens += plan.outputTokens - before
        push({ type: 'response.output_item.added', output_index: outputIndex, item: { id, type: 'reasoning', summary: [] } })
        const part = { type: 'summary_text' as const, text: '' }
        push({ type: 'response.reasoning_summary_part.added', item_id: id, output_index: outputIndex, summary_index: 0, part })
        for (const chunk of chunks) {
          push({ type: 'response.reasoning_summary_text.delta', item_id: id, output_index: outputIndex, summary_index: 0, delta: chunk.text }, chunk.gapMs)
        }
        push({ type: 'response.reasoning_summary_text.done', item_id: id, output_index: outputIndex, summary_index: 0, text })
        push({ type: 'response.reasoning_summary_part.done', item_id: id, output_index: outputIndex, summary_index: 0, part: { type: 'summary_text', text } })
        const item: ReasoningItem = { id, type: 'reasoning', summary: [{ type: 'summary_text', text }] }
        if (options.includeEncryptedReasoning) item.encrypted_content = sealReasoning({ id, summary: text })
        if (truncate) item.status = 'incomplete'
        push({ type: 'response.output_item.done', output_index: outputIndex, item })
        plan.items.push(item)
        break
      }
      case 'message':
      case 'refusal': {
        const id = options.ids.next('msg')
        const source = scripted.type === 'refusal' ? scripted.text : (scripted.text ?? fillerText(scripted.fillerTokens ?? 0))
        const { chunks, text } = stream(source, truncate)
        const phase = scripted.type === 'message' && scripted.phase ? { phase: scripted.phase } : {}
        push({ type: 'response.output_item.added', output_index: outputIndex, item: { id, type: 'message', status: 'in_progress', role: 'assistant', content: [], ...phase } })
        const address = { item_id: id, output_index: outputIndex, content_index: 0 }
        let content: OutputMessageItem['content'][number]
        if (scripted.type === 'refusal') {
          push({ type: 'response.content_part.added', ...address, part: { type: 'refusal', refusal: '' } })
          for (const chunk of chunks) push({ type: 'response.refusal.delta', ...address, delta: chunk.text }, chunk.gapMs)
          push({ type: 'response.refusal.done', ...address, refusal: text })
          content = { type: 'refusal', refusal: text }
        } else {
          push({ type: 'response.content_part.added', ...address, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } })
          for (const chunk of chunks) push({ type: 'response.output_text.delta', ...address, delta: chunk.text, logprobs: [] }, chunk.gapMs)
          push({ type: 'response.output_text.done', ...address, text, logprobs: [] })
          content = { type: 'output_text', text, annotations: [], logprobs: [] }
        }
        push({ type: 'response.content_part.done', ...address, part: content })
        const item: OutputMessageItem = { id, type: 'message', status, role: 'assistant', content: [content], ...phase }
        push({ type: 'response.output_item.done', output_index: outputIndex, item })
        plan.items.push(item)
        break
      }
      case 'function_call': {
        const id = options.ids.next('fc')
        const callId = options.ids.next('call')
        const source = typeof scripted.arguments === 'string' ? scripted.arguments : JSON.stringify(scripted.arguments)
        const { chunks, text } = stream(source, truncate)
        const base = { id, type: 'function_call' as const, call_id: callId, name: scripted.name }
        push({ type: 'response.output_item.added', output_index: outputIndex, item: { ...base, status: 'in_progress', arguments: '' } })
        for (const chunk of chunks) {
          push({ type: 'response.function_call_arguments.delta', item_id: id, output_index: outputIndex, delta: chunk.text }, chunk.gapMs)
        }
        push({ type: 'response.function_call_arguments.done', item_id: id, output_index: outputIndex, arguments: text })
        const item: FunctionCallItem = { ...base, status, arguments: text }
        push({ type: 'response.output_item.done', output_index: outputIndex, item })
        plan.items.push(item)
        break
      }
      default:
        assertNever(scripted, 'scripted item')
    }
  }
  return plan
}

/** The exact model time of a response: what a zero-overhead client waits for, network aside. */
export function planDurationMs(plan: ResponsePlan): number {
  return plan.steps.reduce((sum, step) => sum + step.gapMs, 0)
}
