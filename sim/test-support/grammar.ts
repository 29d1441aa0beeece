// Checks one response's events against the SSE grammar the real API uses, and each event's shape
// against the client's own frame validator. Returns the problems found (none = conforming).
import { validateServerEvent } from '../../src-main/common/protocol/parse-server-frame'

interface Loose {
  type: string
  sequence_number?: number
  output_index?: number
  content_index?: number
  item_id?: string
  item?: { id?: string; type?: string }
  response?: { output?: unknown[] }
}

const DELTA_OF: Record<string, string> = {
  'response.output_text.delta': 'response.output_text.done',
  'response.refusal.delta': 'response.refusal.done',
  'response.function_call_arguments.delta': 'response.function_call_arguments.done',
  'response.reasoning_summary_text.delta': 'response.reasoning_summary_text.done'
}

export function grammarProblems(frames: readonly object[]): string[] {
  const problems: string[] = []
  const events = frames as Loose[]
  for (const [index, event] of events.entries()) {
    const parsed = validateServerEvent(event)
    if (!parsed.ok) problems.push(`#${index}: ${parsed.error.message}`)
    if (event.sequence_number !== index) problems.push(`#${index}: sequence_number ${event.sequence_number}`)
  }
  if (events[0]?.type !== 'response.created') problems.push(`first event is ${events[0]?.type}`)
  if (events[1]?.type !== 'response.in_progress') problems.push(`second event is ${events[1]?.type}`)
  const last = events.at(-1)
  if (!last || !['response.completed', 'response.incomplete', 'response.failed'].includes(last.type)) problems.push(`last event is ${last?.type}`)

  const doneItems: unknown[] = []
  let openItem: { index: number; id: string | undefined } | null = null
  let openPart: number | null = null
  const pendingDone = new Set<string>()
  for (const [index, event] of events.slice(2, -1).entries()) {
    const at = `#${index + 2} ${event.type}`
    switch (event.type) {
      case 'response.output_item.added':
        if (openItem) problems.push(`${at}: item ${openItem.index} still open`)
        if (event.output_index !== doneItems.length) problems.push(`${at}: output_index ${event.output_index}, expected ${doneItems.length}`)
        openItem = { index: event.output_index ?? -1, id: event.item?.id }
        break
      case 'response.output_item.done':
        if (openItem?.index !== event.output_index) problems.push(`${at}: not the open item`)
        if (openPart !== null || pendingDone.size > 0) problems.push(`${at}: part or text still open`)
        doneItems.push(event.item)
        openItem = null
        break
      case 'response.content_part.added':
      case 'response.reasoning_summary_part.added':
        if (openPart !== null) problems.push(`${at}: part ${openPart} still open`)
        openPart = event.content_index ?? 0
        break
      case 'response.content_part.done':
      case 'response.reasoning_summary_part.done':
        if (openPart === null) problems.push(`${at}: no open part`)
        openPart = null
        break
      default: {
        const done = DELTA_OF[event.type]
        if (done) pendingDone.add(done)
        else if (pendingDone.has(event.type)) pendingDone.delete(event.type)
        if (event.item_id !== undefined && event.item_id !== openItem?.id) problems.push(`${at}: item_id ${event.item_id} is not the open item`)
      }
    }
  }
  if (openItem) problems.push(`item ${openItem.index} never done`)
  if (last?.response && JSON.stringify(last.response.output) !== JSON.stringify(doneItems)) problems.push('terminal output differs from the output_item.done items')
  return problems
}
