// The context and cost meter: how full the model's context window is (the last answered request's
// input plus what it wrote, which the next request carries), how much of that the server had
// cached, and what the run cost so far, from the model table (one data file, model-table.json).
import type { Usage } from '../protocol/wire'
import type { RunState } from '../run/state'
import table from './model-table.json'

export interface Prices {
  input: number
  cachedInput: number
  output: number
}

export interface ModelEntry extends Prices {
  provider: string
  /** A model id, or `*` for every model of the provider. */
  model: string
  contextWindow: number | null
  longContext?: Prices & { aboveInputTokens: number }
  source: string
}

export const MODEL_TABLE: readonly ModelEntry[] = table.models as ModelEntry[]

export interface ContextMeter {
  /** Tokens the next request starts from; null before any answered request. */
  usedTokens: number | null
  cachedTokens: number | null
  windowTokens: number | null
  /** Estimated cost of the run in US dollars; null when the model has no price in the table. */
  costUsd: number | null
  inputTokens: number
  outputTokens: number
  compactions: number
}

/**
 * The entry for a model: its exact id, else the id it is a dated snapshot of, else the provider's
 * `*`. A server of the person's own (`custom`: a gateway, a proxy) is looked up by model id alone.
 */
export function modelEntry(provider: string | null, model: string | null, entries: readonly ModelEntry[] = MODEL_TABLE): ModelEntry | null {
  if (provider === null || model === null) return null
  const own = provider === 'custom' ? entries.filter((entry) => entry.model !== '*') : entries.filter((entry) => entry.provider === provider)
  const exact = own.find((entry) => entry.model === model)
  if (exact) return exact
  const snapshot = own
    .filter((entry) => entry.model !== '*' && model.startsWith(`${entry.model}-`) && /^\d{4}-\d{2}-\d{2}$/.test(model.slice(entry.model.length + 1)))
    .sort((a, b) => b.model.length - a.model.length)[0]
  return snapshot ?? own.find((entry) => entry.model === '*') ?? null
}

export function costOfUsage(usage: Usage, entry: ModelEntry): number {
  const prices: Prices = entry.longContext && usage.input_tokens >= entry.longContext.aboveInputTokens ? entry.longContext : entry
  const cached = Math.min(usage.input_tokens, usage.input_tokens_details?.cached_tokens ?? 0)
  return ((usage.input_tokens - cached) * prices.input + cached * prices.cachedInput + usage.output_tokens * prices.output) / 1_000_000
}

export function contextMeterOf(state: RunState, entries: readonly ModelEntry[] = MODEL_TABLE): ContextMeter {
  const entry = modelEntry(state.provider?.name ?? null, state.model, entries)
  let last: Usage | null = null
  let cost = 0
  for (const response of state.responses) {
    if (response.usage === null) continue
    if (response.status === 'completed' || response.status === 'incomplete') last = response.usage
    if (entry) cost += costOfUsage(response.usage, entry)
  }
  let inputTokens = state.usage?.input_tokens ?? 0
  let outputTokens = state.usage?.output_tokens ?? 0
  for (const compaction of state.compactions) {
    if (compaction.usage === null) continue
    inputTokens += compaction.usage.input_tokens
    outputTokens += compaction.usage.output_tokens
    if (entry) cost += costOfUsage(compaction.usage, entry)
  }
  const lastCompaction = state.compactions[state.compactions.length - 1]
  // After a summary, the next request starts from the compacted context, not the last answer's.
  const compactedSince = lastCompaction !== undefined && lastCompaction.tokensAfter !== null && lastCompaction.at >= lastAnsweredAt(state)
  return {
    usedTokens: compactedSince ? lastCompaction.tokensAfter : last === null ? null : last.input_tokens + last.output_tokens,
    cachedTokens: compactedSince ? 0 : last === null ? null : (last.input_tokens_details?.cached_tokens ?? 0),
    windowTokens: state.settings?.contextWindow ?? entry?.contextWindow ?? null,
    costUsd: entry ? cost : null,
    inputTokens,
    outputTokens,
    compactions: state.compactions.length
  }
}

function lastAnsweredAt(state: RunState): number {
  const turn = state.turns[state.turns.length - 1]
  return turn?.sentAt ?? 0
}

/** `812`, `12.3k`, `400k`, `1.05M`. */
export function formatTokens(tokens: number): string {
  if (tokens < 1000) return String(tokens)
  if (tokens < 1_000_000) {
    const thousands = tokens / 1000
    return `${thousands < 100 ? thousands.toFixed(1).replace(/\.0$/, '') : Math.round(thousands)}k`
  }
  return `${(tokens / 1_000_000).toFixed(2).replace(/\.?0+$/, '')}M`
}

export function formatCost(usd: number): string {
  if (usd === 0) return '$0.00'
  if (usd < 0.01) return '<$0.01'
  return `$${usd.toFixed(2)}`
}

/** One line: `Context 12.3k / 400k · 8.1k cached · $0.04`. */
export function describeMeter(meter: ContextMeter): string {
  const used = meter.usedTokens === null ? '–' : formatTokens(meter.usedTokens)
  const window = meter.windowTokens === null ? '?' : formatTokens(meter.windowTokens)
  const cached = meter.cachedTokens === null || meter.cachedTokens === 0 ? '' : ` · ${formatTokens(meter.cachedTokens)} cached`
  const cost = meter.costUsd === null ? ' · cost unknown' : ` · ${formatCost(meter.costUsd)}`
  return `Context ${used} / ${window}${cached}${cost}`
}
