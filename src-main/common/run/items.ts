// Output items as the reducer keeps them: building views from API items and from sparse events.
import type { OutputItem } from '../protocol/wire'
import { summarizeItem } from './item-summary'
import type { FunctionCallItemView, ItemView, MessageItemView, PartView, ReasoningItemView } from './state'

export function itemKeyOf(responseIndex: number, itemId: string | null, outputIndex: number): string {
  return `${responseIndex}:${itemId ?? `#${outputIndex}`}`
}

type Placement = Pick<ItemView, 'key' | 'responseIndex' | 'outputIndex'>

function itemStatusOf(item: { status?: string | null }, fallback: ItemView['status']): ItemView['status'] {
  const status = item.status
  return status === 'in_progress' || status === 'completed' || status === 'incomplete' ? status : fallback
}

/** Builds the view of a whole API item (from `output_item.added/done` or a terminal `output`). */
export function itemViewOf(place: Placement, item: OutputItem, fallbackStatus: ItemView['status']): ItemView {
  const id = 'id' in item && typeof item.id === 'string' ? item.id : null
  const status = itemStatusOf(item as { status?: string | null }, fallbackStatus)
  const base = { ...place, id, status }
  switch (item.type) {
    case 'message': {
      const parts: PartView[] = (item.content ?? []).map((part) =>
        part.type === 'refusal' ? { type: 'refusal', text: part.refusal } : { type: 'output_text', text: part.text }
      )
      const phase = (item as { phase?: unknown }).phase
      return { ...base, kind: 'message', parts, phase: typeof phase === 'string' ? phase : null }
    }
    case 'function_call':
      // A server that sends a call id or arguments that are not text gets no call out of them.
      return {
        ...base,
        kind: 'function_call',
        callId: typeof item.call_id === 'string' ? item.call_id : null,
        name: item.name,
        arguments: typeof item.arguments === 'string' ? item.arguments : ''
      }
    case 'reasoning':
      return {
        ...base,
        kind: 'reasoning',
        summary: (item.summary ?? []).map((part) => part.text),
        content: (item.content ?? []).map((part) => part.text),
        encryptedContent: item.encrypted_content ?? null
      }
    default:
      return { ...base, kind: 'other', itemType: item.type, summary: summarizeItem(item), item }
  }
}

export function emptyMessage(place: Placement, id: string | null): MessageItemView {
  return { ...place, id, status: 'in_progress', kind: 'message', parts: [], phase: null }
}

export function emptyFunctionCall(place: Placement, id: string | null): FunctionCallItemView {
  return { ...place, id, status: 'in_progress', kind: 'function_call', callId: null, name: null, arguments: '' }
}

export function emptyReasoning(place: Placement, id: string | null): ReasoningItemView {
  return { ...place, id, status: 'in_progress', kind: 'reasoning', summary: [], content: [], encryptedContent: null }
}
