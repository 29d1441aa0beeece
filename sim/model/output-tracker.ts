// Rebuilds a response's output from the events already streamed, so a response cut short (steered,
// failed by a fault) reports exactly what the client has seen, with unfinished items marked
// incomplete.
import type { OutputItem } from '../../src-main/common/protocol/wire'
import type { EventBody } from '../protocol/event-body'

interface Tracked {
  item: Record<string, unknown>
  done: boolean
  /** The content or summary part being streamed, until its `*.part.done`. */
  openPart: { list: 'content' | 'summary'; index: number } | null
}

export class OutputTracker {
  private readonly items: Tracked[] = []

  apply(event: EventBody): void {
    switch (event.type) {
      case 'response.output_item.added':
        this.items[event.output_index] = { item: structuredClone(event.item) as unknown as Record<string, unknown>, done: false, openPart: null }
        return
      case 'response.output_item.done':
        this.items[event.output_index] = { item: structuredClone(event.item) as unknown as Record<string, unknown>, done: true, openPart: null }
        return
      case 'response.content_part.added':
        this.list(event.output_index, 'content')[event.content_index] = structuredClone(event.part)
        this.openPart(event.output_index, { list: 'content', index: event.content_index })
        return
      case 'response.content_part.done':
      case 'response.reasoning_summary_part.done':
        this.openPart(event.output_index, null)
        return
      case 'response.output_text.delta':
        this.appendTo(this.list(event.output_index, 'content')[event.content_index], 'text', event.delta)
        return
      case 'response.refusal.delta':
        this.appendTo(this.list(event.output_index, 'content')[event.content_index], 'refusal', event.delta)
        return
      case 'response.reasoning_summary_part.added':
        this.list(event.output_index, 'summary')[event.summary_index] = structuredClone(event.part)
        this.openPart(event.output_index, { list: 'summary', index: event.summary_index })
        return
      case 'response.reasoning_summary_text.delta':
        this.appendTo(this.list(event.output_index, 'summary')[event.summary_index], 'text', event.delta)
        return
      case 'response.function_call_arguments.delta': {
        const tracked = this.items[event.output_index]
        if (tracked) this.appendTo(tracked.item, 'arguments', event.delta)
        return
      }
      default:
        // Lifecycle events and *.done events carry nothing the items above do not already hold.
        return
    }
  }

  /** True once any function call has started streaming. */
  hasFunctionCall(): boolean {
    return this.items.some((tracked) => tracked?.item.type === 'function_call')
  }

  /**
   * The events that close what is still streaming at `outputIndex` (its open part, then the item,
   * marked incomplete), so a response cut short keeps a balanced event grammar.
   */
  closingEvents(outputIndex: number): EventBody[] {
    const tracked = this.items[outputIndex]
    if (!tracked || tracked.done) return []
    const events: EventBody[] = []
    const itemId = String(tracked.item.id)
    const part = tracked.openPart
    if (part) {
      const value = (tracked.item[part.list] as Array<Record<string, unknown>>)[part.index] ?? {}
      if (part.list === 'summary') {
        const text = String(value.text ?? '')
        const address = { item_id: itemId, output_index: outputIndex, summary_index: part.index }
        events.push({ type: 'response.reasoning_summary_text.done', ...address, text })
        events.push({ type: 'response.reasoning_summary_part.done', ...address, part: { type: 'summary_text', text } })
      } else {
        const address = { item_id: itemId, output_index: outputIndex, content_index: part.index }
        if (value.type === 'refusal') {
          const refusal = String(value.refusal ?? '')
          events.push({ type: 'response.refusal.done', ...address, refusal })
          events.push({ type: 'response.content_part.done', ...address, part: { type: 'refusal', refusal } })
        } else {
          const text = String(value.text ?? '')
          events.push({ type: 'response.output_text.done', ...address, text, logprobs: [] })
          events.push({ type: 'response.content_part.done', ...address, part: { type: 'output_text', text, annotations: [], logprobs: [] } })
        }
      }
    }
    const item = { ...structuredClone(tracked.item), status: 'incomplete' } as unknown as OutputItem
    events.push({ type: 'response.output_item.done', output_index: outputIndex, item })
    return events
  }

  /** Indexes of items that were added but not finished. */
  openItems(): number[] {
    return this.items.flatMap((tracked, index) => (tracked && !tracked.done ? [index] : []))
  }

  /** The output as streamed so far; unfinished items are marked incomplete. */
  snapshot(): OutputItem[] {
    return this.items.flatMap((tracked) => {
      if (!tracked) return []
      const item = structuredClone(tracked.item)
      if (!tracked.done) item.status = 'incomplete'
      return [item as unknown as OutputItem]
    })
  }

  private openPart(outputIndex: number, part: Tracked['openPart']): void {
    const tracked = this.items[outputIndex]
    if (tracked) tracked.openPart = part
  }

  private list(outputIndex: number, key: 'content' | 'summary'): unknown[] {
    const tracked = this.items[outputIndex]
    if (!tracked) return []
    const existing = tracked.item[key]
    if (Array.isArray(existing)) return existing
    const created: unknown[] = []
    tracked.item[key] = created
    return created
  }

  private appendTo(target: unknown, key: string, delta: string): void {
    if (typeof target !== 'object' || target === null) return
    const record = target as Record<string, unknown>
    record[key] = `${typeof record[key] === 'string' ? record[key] : ''}${delta}`
  }
}
