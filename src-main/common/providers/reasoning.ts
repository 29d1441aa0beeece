// What a person may ask of a reasoning model: how hard it thinks and whether it shows a summary.

export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high', 'xhigh'] as const
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number]

/** `none` asks for no summary (the field is left out of the request). */
export const REASONING_SUMMARIES = ['auto', 'concise', 'detailed', 'none'] as const
export type ReasoningSummary = (typeof REASONING_SUMMARIES)[number]

export interface ReasoningSettings {
  /** null: the model's default. */
  effort: ReasoningEffort | null
  summary: ReasoningSummary
}

export function isReasoningEffort(value: unknown): value is ReasoningEffort {
  return typeof value === 'string' && (REASONING_EFFORTS as readonly string[]).includes(value)
}

export function isReasoningSummary(value: unknown): value is ReasoningSummary {
  return typeof value === 'string' && (REASONING_SUMMARIES as readonly string[]).includes(value)
}

/** The request's `reasoning` field, or null when nothing is asked. */
export function reasoningField(settings: ReasoningSettings): { effort?: ReasoningEffort; summary?: Exclude<ReasoningSummary, 'none'> } | null {
  const field: { effort?: ReasoningEffort; summary?: Exclude<ReasoningSummary, 'none'> } = {}
  if (settings.effort !== null) field.effort = settings.effort
  if (settings.summary !== 'none') field.summary = settings.summary
  return Object.keys(field).length === 0 ? null : field
}
