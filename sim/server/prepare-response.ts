// Everything between "a create request may start" and "the response streams": resolve the parent,
// rebuild the context, check the new input the way the real API does, and ask the model.
import type { InputItem, Usage } from '../../src-main/common/protocol/wire'
import type { CreateRequest } from '../protocol/create-request'
import { errors, type ApiError } from '../protocol/errors'
import { makeUsage } from '../protocol/response-object'
import { contextAfter, type ResponseState, type ResponseStore } from '../model/conversation'
import { openReasoning } from '../model/encrypted-reasoning'
import type { ModelDecision, ScriptedModel } from '../model/scripted-model'
import { checkToolPairing } from '../model/tool-pairing'
import { estimateTokens } from '../model/tokenize'
import { compactContext, compactThresholdOf, type CompactionItem } from '../model/context-window'
import type { IdFactory } from '../model/ids'
import { positionOf } from '../model/turn-selector'
import type { OutputItem } from '../../src-main/common/protocol/wire'
import type { EventBody } from '../protocol/event-body'

/** A compacting response streams the compaction item first; the model's own items follow it. */
function withCompaction(decision: ModelDecision, item: CompactionItem | null): ModelDecision {
  if (item === null) return decision
  const shift = (event: EventBody): EventBody =>
    typeof (event as { output_index?: unknown }).output_index === 'number' ? ({ ...event, output_index: (event as { output_index: number }).output_index + 1 } as EventBody) : event
  const output = item as unknown as OutputItem
  const steps = [
    { gapMs: 0, event: { type: 'response.output_item.added', output_index: 0, item: output } as EventBody },
    { gapMs: 0, event: { type: 'response.output_item.done', output_index: 0, item: output } as EventBody },
    ...decision.plan.steps.map((step) => ({ ...step, event: shift(step.event) }))
  ]
  return { ...decision, plan: { ...decision.plan, items: [output, ...decision.plan.items], steps } }
}

/** Where a parent was found: the connection's in-memory cache (and which lane), or persisted storage. */
export type ParentSource = { kind: 'connection'; lane: string } | { kind: 'store' }

export interface FoundParent {
  state: ResponseState
  source: ParentSource
}

export interface PreparedResponse {
  id: string
  request: CreateRequest
  parent: FoundParent | null
  context: InputItem[]
  decision: ModelDecision
  /** Server-side re-rendering cost, paid before the first output item (0 unless configured). */
  renderCostMs: number
  usage: Usage
}

/** A refusal names the parent it found (if any), because a failed same-lane continuation evicts it. */
export type Prepared = { ok: true; value: PreparedResponse } | { ok: false; error: ApiError; parent: FoundParent | null }

export interface PrepareDeps {
  model: ScriptedModel
  ids: IdFactory
  store: ResponseStore
  evictEverything: boolean
  newResponseId: () => string
  findParent: (id: string) => FoundParent | null
}

/**
 * OpenAI's prompt cache (platform.openai.com/docs/guides/prompt-caching) keeps prefixes of 1,024
 * tokens or more and reports hits in steps of 128 tokens: a shorter prefix reports no cached
 * tokens at all.
 */
export function promptCacheHit(prefixTokens: number): number {
  return prefixTokens < 1024 ? 0 : prefixTokens - (prefixTokens % 128)
}

export function prepareResponse(deps: PrepareDeps, request: CreateRequest, prependedInput: readonly InputItem[] = []): Prepared {
  let parent: FoundParent | null = null
  if (request.previousResponseId !== null) {
    parent = deps.evictEverything ? null : deps.findParent(request.previousResponseId)
    if (!parent) return { ok: false, error: errors.previousResponseNotFound(request.previousResponseId), parent: null }
  }
  const newInput = [...prependedInput, ...request.input]
  const inputProblem = checkReasoningItems(newInput, deps.store)
  if (inputProblem) return { ok: false, error: inputProblem, parent }
  const parentContext = parent ? contextAfter(parent.state) : []
  let context = [...parentContext, ...newInput]
  if (request.generate) {
    const pairing = checkToolPairing(context)
    if (pairing) return { ok: false, error: pairing, parent }
  }
  const tokensOf = (items: readonly InputItem[]): number => estimateTokens(JSON.stringify(items)) + estimateTokens(request.instructions ?? '')
  let inputTokens = tokensOf(context)
  let compaction: CompactionItem | null = null
  const threshold = compactThresholdOf(request.params)
  if (request.generate && threshold !== null && inputTokens > threshold) {
    const compacted = compactContext(context, positionOf(context), deps.ids)
    compaction = compacted.item
    context = compacted.kept
    inputTokens = tokensOf([...context, compaction])
  }
  const window = deps.model.scenario.contextWindow
  if (request.generate && window !== undefined && inputTokens > window) return { ok: false, error: errors.contextLengthExceeded(inputTokens, window), parent }
  const decision = withCompaction(deps.model.respond(request, compaction === null ? context : [...context, compaction]), compaction)
  const renderedItems = parent?.source.kind === 'connection' ? newInput.length : context.length
  const cachedTokens = promptCacheHit(parent ? Math.min(inputTokens, estimateTokens(JSON.stringify(parentContext))) : 0)
  return {
    ok: true,
    value: {
      id: deps.newResponseId(),
      request,
      parent,
      context,
      decision,
      renderCostMs: renderedItems * decision.timing.renderCostPerItemMs,
      usage: makeUsage({
        input: request.generate ? inputTokens : 0,
        cached: request.generate ? cachedTokens : 0,
        output: decision.plan.outputTokens,
        reasoning: decision.plan.reasoningTokens
      })
    }
  }
}

/**
 * Reasoning items coming back as input must carry verifiable `encrypted_content`, or name an item
 * the server persisted (store: true); otherwise the real API refuses them.
 */
function checkReasoningItems(items: readonly InputItem[], store: ResponseStore): ApiError | null {
  for (const item of items) {
    const loose = item as { type?: string; id?: string; encrypted_content?: string | null }
    if (loose.type !== 'reasoning') continue
    const id = loose.id ?? '(no id)'
    if (typeof loose.encrypted_content === 'string') {
      if (!openReasoning(loose.encrypted_content)) return errors.invalidEncryptedContent(id)
    } else if (!store.hasItem(id)) {
      return errors.itemNotPersisted(id)
    }
  }
  return null
}
