// The sim's context window: a request whose context (input plus instructions, in the sim's token
// estimate) exceeds the scenario's window is refused with `context_length_exceeded`, as the real
// API refuses it. Two ways out, both as the API offers them:
// - server-side compaction (`context_management: [{type: "compaction", compact_threshold}]`): once
//   the context crosses the threshold, the server replaces it with the user messages plus one
//   opaque `compaction` item, streamed as the response's first output item, and answers from that
//   (https://developers.openai.com/api/docs/guides/compaction);
// - a summarising turn the client asks for (`tool_choice: "none"` in a scenario with a window):
//   the scripted model writes a summary. Being a script, it remembers where the conversation
//   stood through what it writes into the compaction item or the summary (its position on the
//   scenario's line of tool calls), which is what a real model keeps in its summary.
import type { InputItem } from '../../src-main/common/protocol/wire'
import { openReasoning, sealReasoning } from './encrypted-reasoning'
import type { IdFactory } from './ids'
import type { ConversationPosition } from './turn-selector'

const MARKER = /\[sim-position tool_outputs=(\d+) assistant_messages=(\d+)\]/

export interface CompactionItem {
  id: string
  type: 'compaction'
  encrypted_content: string
}

export function positionMarker(position: ConversationPosition): string {
  return `[sim-position tool_outputs=${position.toolOutputs} assistant_messages=${position.assistantMessagesSinceLastOutput}]`
}

/** The position a compaction item or a summary carries, or null when the item carries none. */
export function carriedPosition(item: InputItem): ConversationPosition | null {
  const loose = item as { type?: string; encrypted_content?: unknown; content?: unknown }
  if (loose.type === 'compaction' && typeof loose.encrypted_content === 'string') {
    const opened = openReasoning(loose.encrypted_content)
    return opened === null ? null : parseMarker(opened.summary)
  }
  if ((loose.type ?? 'message') !== 'message') return null
  const content = loose.content
  const text = typeof content === 'string' ? content : Array.isArray(content) ? content.map((part: { text?: unknown }) => (typeof part.text === 'string' ? part.text : '')).join('') : ''
  return parseMarker(text)
}

function parseMarker(text: string): ConversationPosition | null {
  const match = MARKER.exec(text)
  return match ? { toolOutputs: Number(match[1]), assistantMessagesSinceLastOutput: Number(match[2]) } : null
}

/** What the server keeps of a context it compacts: the user messages, then one compaction item. */
export function compactContext(context: readonly InputItem[], position: ConversationPosition, ids: IdFactory): { kept: InputItem[]; item: CompactionItem } {
  const kept = context.filter((item) => {
    const loose = item as { type?: string; role?: string }
    return (loose.type ?? 'message') === 'message' && loose.role === 'user'
  })
  const id = ids.next('cmp')
  return { kept, item: { id, type: 'compaction', encrypted_content: sealReasoning({ id, summary: positionMarker(position) }) } }
}

/** The compaction threshold a create request asks for, or null. */
export function compactThresholdOf(params: Record<string, unknown>): number | null {
  const entries = params.context_management
  if (!Array.isArray(entries)) return null
  for (const entry of entries) {
    const loose = entry as { type?: unknown; compact_threshold?: unknown }
    if (loose.type === 'compaction' && typeof loose.compact_threshold === 'number' && loose.compact_threshold > 0) return loose.compact_threshold
  }
  return null
}
