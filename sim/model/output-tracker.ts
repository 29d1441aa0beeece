// Rebuilds a response's output from the events already streamed, so a response cut short (steered,
// failed by a fault) reports exactly what the client has seen, with unfinished items marked
// incomplete.
import type { OutputItem } from '../../src-main/common/protocol/wire'
import type { EventBody } from '../protocol/event-body'

interface Tracked {
  item: Record<string, unknown>
  done: boolean
}

export class OutputTracker {
  private readonly items: Tracked[] = []

  apply(event: EventBody): void {
    switch (event.type) {
      case 'response.output_item.added':
        this.items[event.output_index] = { item: structuredClone(event.item) as unknown as Record<string, unknown>, done: false }
        return
      case 'response.output_item.done':
        this.items[event.output_index] = { item: structuredClone(event.item) as unknown as Record<string, unknown>, done: true }
        return
      case 'response.content_part.added':
        this.list(event.output_index, 'content')[event.content_index] = structuredClone(event.part)
        return
      case 'response.output_text.delta':
        this.appendTo(this.list(event.output_index, 'content')[event.content_index], 'text', event.delta)
        return
      case 'response.refusal.delta':
        this.appendTo(this.list(event.output_index, 'content')[event.content_index], 'refusal', event.delta)
        return
      case 'response.reasoning_summary_part.added':
        this.list(event.output_index, 'summary')[event.summary_index] = structuredClone(event.part)
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

  /** Indexes of items that were added but not finished. */
  openItems(): number[] {
    return this.items.flatMap((tracked, index) => (tracked && !tracked.done ? [index] : []))
  }

  itemAt(index: number): OutputItem | undefined {
    const tracked = this.items[index]
    return tracked ? (structuredClone(tracked.item) as unknown as OutputItem) : undefined
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
