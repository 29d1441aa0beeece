// When and how a run's context is compacted. Near the model's window (80% by default) Tether
// compacts before the next request; a request the server refuses with `context_length_exceeded`
// compacts and is sent again.
//
// How, by provider (the facts behind each choice):
// - Server-side (OpenAI): the next `response.create` carries
//   `context_management: [{type: "compaction", compact_threshold}]`; the server compacts while it
//   answers and streams an opaque `compaction` item first
//   (https://developers.openai.com/api/docs/guides/compaction). It works over HTTP and WebSocket
//   (`context_management` is a field of the WebSocket `response.create` too, openai SDK 7.59.0
//   `ResponsesClientEvent.ResponseCreate`), and with `previous_response_id` the chain carries the
//   compacted context, so only new input is sent, as usual. A full resend after a dropped
//   connection starts from the user messages and the latest compaction item. Steering is not
//   supported on a response that uses automatic compaction (SDK doc of `ResponseSteerEvent`), so
//   the field is sent only on the turn that needs it, and steering input during that turn waits
//   for the next one.
// - Everywhere else (xAI documents no `context_management`; unknown servers): a summarising
//   request of Tether's own, with `tool_choice: "none"` and the conversation before the last
//   answer, whose summary then replaces that part. The next request is a full one without
//   `previous_response_id`, since the server's chain still holds the long context; with xAI a
//   full request carries the instructions again, which a continuation may not.
// Kept through either: the instructions (sent with every request, never part of the input), the
// person's messages (the task first), and the last answer with its tool calls and their outputs,
// pending ones included, verbatim.
import type { InputItem } from '../../common/protocol/wire'
import { lastContextResponse } from '../../common/run/next-step'
import type { RunState } from '../../common/run/state'
import { transcriptBefore, transcriptOf } from '../../common/run/transcript'

export type CompactionMethod = 'server' | 'summary' | 'off'

/** Compact once the context reaches this share of the window. */
export const COMPACTION_TRIGGER_RATIO = 0.8

export const SUMMARY_PROMPT = [
  'The conversation is about to be compacted to fit the context window. Write a handoff summary for yourself that',
  'replaces everything above: the task and any later requests from the person, what has been done so far (files',
  'read and changed, commands run and their results), decisions made and why, and what remains to be done.',
  'Keep exact names, paths and values. Do not call tools.'
].join(' ')

export const SUMMARY_HEADER = 'Summary of the earlier part of this conversation (it was compacted to fit the context window):'

/** The tokens the next request starts from: the last answered request's input plus what it wrote. */
export function contextTokens(state: RunState): number | null {
  const last = lastContextResponse(state)
  const usage = last?.response.usage
  return usage ? usage.input_tokens + usage.output_tokens : null
}

/** Whether the context has grown to the trigger since the last compaction; the size when it has. */
export function compactionDue(state: RunState, windowTokens: number | null, ratio = COMPACTION_TRIGGER_RATIO): number | null {
  if (windowTokens === null) return null
  const tokens = contextTokens(state)
  if (tokens === null || tokens < windowTokens * ratio) return null
  const last = lastContextResponse(state)
  const compaction = state.compactions[state.compactions.length - 1]
  // One compaction per answer: the next answer's usage tells whether it was enough.
  if (last && compaction && compaction.at >= (state.turns.find((turn) => turn.responseIndexes.includes(last.index))?.sentAt ?? 0)) return null
  return tokens
}

/** The timeline index the last answer starts at: a summary replaces what is before it. Null when there is nothing new to summarise. */
export function summaryBoundary(state: RunState): number | null {
  const last = lastContextResponse(state)
  if (!last) return null
  const keys = new Set(last.response.itemKeys)
  const boundary = state.timeline.findIndex((entry) => entry.kind === 'item' && keys.has(entry.key))
  const previous = state.compactions[state.compactions.length - 1]?.throughTimeline ?? 0
  return boundary > previous ? boundary : null
}

export function summaryInput(state: RunState, boundary: number): InputItem[] {
  return [...transcriptBefore(state, boundary), { type: 'message', role: 'user', content: [{ type: 'input_text', text: SUMMARY_PROMPT }] }]
}

export function summaryReplacement(summary: string): InputItem[] {
  return [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: `${SUMMARY_HEADER}\n\n${summary.trim()}` }] }]
}

/** A rough token count of what a full request would carry (4 characters a token, as clients budget). */
export function estimateContextTokens(state: RunState): number {
  return Math.ceil((JSON.stringify(transcriptOf(state)).length + (state.settings?.instructions.length ?? 0)) / 4)
}

/** The compaction items of a response, by their place on the timeline. */
export function compactionItemIndex(state: RunState, responseIndex: number): number | null {
  const response = state.responses[responseIndex]
  if (!response) return null
  let found: number | null = null
  for (const key of response.itemKeys) {
    const item = key ? state.items[key] : undefined
    if (item?.kind === 'other' && item.itemType === 'compaction') {
      const index = state.timeline.findIndex((entry) => entry.kind === 'item' && entry.key === key)
      if (index >= 0) found = index
    }
  }
  return found
}

