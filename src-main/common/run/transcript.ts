// What the model has seen, rebuilt from RunState: the full input for a resend, and the
// assistant text for people and for `tether replay`.
import { assertNever } from './records'
import type { InputItem } from '../protocol/wire'
import type { ItemView, ResponseView, RunState } from './state'

/** Output of these responses is part of the server's context; failed or dropped output is not. */
function countsAsContext(response: ResponseView | undefined): boolean {
  return response !== undefined && (response.status === 'completed' || response.status === 'incomplete')
}

/**
 * What the model is sent for a finished call: nothing for a call the conversation does not carry,
 * since the server never saw it: one of a response that is not part of the context (dropped or
 * failed after the call ran early), or one whose item the response's final output replaced.
 */
function resultOf(state: RunState, callId: string): InputItem | null {
  const call = state.toolCalls[callId]
  if (!call || call.output === null) return null
  if (call.responseIndex !== null && !countsAsContext(state.responses[call.responseIndex])) return null
  const item = call.itemKey === null ? undefined : state.items[call.itemKey]
  if (item && (item.kind !== 'function_call' || item.callId !== call.callId)) return null
  return { type: 'function_call_output', call_id: call.callId, output: call.output }
}

function inputItemOf(item: ItemView): InputItem | null {
  switch (item.kind) {
    case 'message': {
      const content = item.parts.map((part) =>
        part.type === 'refusal'
          ? { type: 'refusal' as const, refusal: part.text }
          : { type: 'output_text' as const, text: part.text, annotations: [] }
      )
      if (item.id === null) {
        return { type: 'message', role: 'assistant', content: item.parts.map((part) => part.text).join('') }
      }
      const message = { id: item.id, type: 'message' as const, role: 'assistant' as const, status: 'completed' as const, content }
      // Models that mark commentary and final answers need the mark back on every resend.
      return item.phase === null ? message : ({ ...message, phase: item.phase } as InputItem)
    }
    case 'function_call':
      if (item.callId === null || item.name === null) return null
      return { type: 'function_call', call_id: item.callId, name: item.name, arguments: item.arguments }
    case 'reasoning':
      if (item.id === null) return null
      return {
        id: item.id,
        type: 'reasoning',
        summary: item.summary.map((text) => ({ type: 'summary_text' as const, text })),
        encrypted_content: item.encryptedContent
      }
    case 'other':
      return (item.item as InputItem | null) ?? null
  }
}

function userMessage(text: string): InputItem {
  return { type: 'message', role: 'user', content: [{ type: 'input_text', text }] }
}

/** What the model is told when the run's shell was started again (a follow-up, a resume). */
export const FRESH_SHELL_NOTE =
  'The shell was restarted since your last command: earlier `cd`, `export`, shell variables, functions and background jobs are gone, and the working directory is the workspace root again.'

const freshShellNote: InputItem = { type: 'message', role: 'developer', content: [{ type: 'input_text', text: FRESH_SHELL_NOTE }] }

/**
 * Person input and notes in timeline order. A note waits for the next person input (or the end),
 * so it never sits between a call and its output.
 */
class InputSequence {
  readonly input: InputItem[] = []
  #noteDue = false

  note(): void {
    this.#noteDue = true
  }

  user(text: string): void {
    this.#flushNote()
    this.input.push(userMessage(text))
  }

  push(item: InputItem): void {
    this.input.push(item)
  }

  end(): InputItem[] {
    this.#flushNote()
    return this.input
  }

  #flushNote(): void {
    if (this.#noteDue) this.input.push(freshShellNote)
    this.#noteDue = false
  }
}

/**
 * The whole conversation as input items, in the order it happened. After a compaction, what came
 * before it is the person's own messages (the task first) followed by what replaced the rest.
 */
export function transcriptOf(state: RunState): InputItem[] {
  const compaction = state.compactions[state.compactions.length - 1]
  const from = compaction?.throughTimeline ?? 0
  const input: InputItem[] = []
  for (const entry of state.timeline.slice(0, from)) {
    const user = entry.kind === 'user' ? state.userInputs[entry.index] : undefined
    if (user && user.kind !== 'interrupt') input.push(userMessage(user.text))
  }
  if (compaction) input.push(...compaction.replacement)
  return input.concat(transcriptFrom(state, from))
}

function transcriptFrom(state: RunState, from: number): InputItem[] {
  const input = new InputSequence()
  for (const entry of state.timeline.slice(from)) {
    switch (entry.kind) {
      case 'user': {
        const user = state.userInputs[entry.index]
        if (user && user.kind !== 'interrupt') input.user(user.text)
        break
      }
      case 'item': {
        const item = state.items[entry.key]
        if (!item || !countsAsContext(state.responses[item.responseIndex])) break
        const converted = inputItemOf(item)
        if (converted) input.push(converted)
        break
      }
      case 'tool_result': {
        const result = resultOf(state, entry.callId)
        if (result) input.push(result)
        break
      }
      case 'resumed':
        if (entry.freshShell) input.note()
        break
      case 'compaction':
        break
      default:
        assertNever(entry, 'timeline entry')
    }
  }
  return input.end()
}

/** The conversation up to a timeline index, as input items (what a summarising request summarises). */
export function transcriptBefore(state: RunState, end: number): InputItem[] {
  const full = { ...state, timeline: state.timeline.slice(0, end) }
  return transcriptOf(full)
}

export function messageTextOf(item: ItemView): string | null {
  if (item.kind !== 'message') return null
  const texts = item.parts.filter((part) => part.type === 'output_text')
  return texts.length === 0 ? null : texts.map((part) => part.text).join('')
}

/** The text of every assistant message, in output order across responses; dropped partial output is left out. */
export function assistantMessagesOf(state: RunState): string[] {
  const messages: string[] = []
  for (const response of state.responses) {
    if (response.status === 'dropped') continue
    for (const key of response.itemKeys) {
      const item = key ? state.items[key] : undefined
      const text = item ? messageTextOf(item) : null
      if (text !== null) messages.push(text)
    }
  }
  return messages
}

/**
 * Input the server does not hold yet: person input and tool results recorded since the last
 * request, and a note that the shell restarted. The note alone is no reason to send (see
 * `hasPendingInput`).
 */
export function pendingInputOf(state: RunState): InputItem[] {
  const input = new InputSequence()
  for (let position = state.sentThrough; position < state.timeline.length; position++) {
    const entry = state.timeline[position]!
    if (entry.kind === 'user') {
      const user = state.userInputs[entry.index]
      if (user && user.kind !== 'interrupt' && !user.delivered) input.user(user.text)
    } else if (entry.kind === 'tool_result') {
      const result = resultOf(state, entry.callId)
      if (result) input.push(result)
    } else if (entry.kind === 'resumed' && entry.freshShell) {
      input.note()
    }
  }
  return input.end()
}

/** Whether person input or a tool result waits to be sent. */
export function hasPendingInput(state: RunState): boolean {
  return pendingInputOf(state).some((item) => item !== freshShellNote)
}

/** The person's task: the text the run started with, or null in a log that lacks it. */
export function taskOf(state: RunState): string | null {
  return state.userInputs.find((input) => input.kind === 'task')?.text ?? null
}
