// The replay index's fold keeps the terminal tails of the latest few calls only (see
// display-state.ts): at each checkpoint it drops those of finished calls that fell behind, looking
// only at calls that fell behind since the last checkpoint, calls still unfinished then, and calls
// changed since, so the work per checkpoint does not grow with the run. The tails a display of the
// latest DISPLAYED_TERMINALS calls shows are remembered here, to give them back to that display.
import { DISPLAYED_TERMINALS, isFinished } from '../../common/run/display-state'
import type { LiveFold } from '../../common/run/reduce'
import type { RunState, ToolCallView } from '../../common/run/state'

type Tail = Pick<ToolCallView, 'terminal' | 'terminalDroppedBytes'>

const hasTail = (call: ToolCallView): boolean => call.terminal.length > 0 || call.terminalDroppedBytes > 0

export class OldTerminals {
  readonly #keep: number
  /** Calls before this place in the call order have been looked at. */
  #lookedAt = 0
  /** Calls looked at while unfinished. */
  #unfinished = new Set<string>()
  /** Tails dropped from calls a display of the latest DISPLAYED_TERMINALS still shows. */
  #displayed = new Map<string, Tail>()

  constructor(keep: number) {
    this.#keep = keep
  }

  /** Drops the tails of finished calls older than the latest `keep`; `changed`: calls set since the last time. */
  drop(fold: LiveFold, changed: Iterable<string>): void {
    fold.update((state, own) => {
      const order = state.toolCallOrder
      const behind = order.length - this.#keep
      const candidates = new Set([...this.#unfinished, ...changed])
      for (let position = this.#lookedAt; position < behind; position++) candidates.add(order[position]!)
      this.#lookedAt = Math.max(this.#lookedAt, behind)
      this.#unfinished.clear()
      const latest = new Set(order.slice(Math.max(0, behind)))
      const displayed = new Set(order.slice(-DISPLAYED_TERMINALS))
      let toolCalls = state.toolCalls
      for (const callId of candidates) {
        const call = toolCalls[callId]
        if (!call || latest.has(callId)) continue
        if (!isFinished(call.status)) this.#unfinished.add(callId)
        else if (hasTail(call)) {
          if (displayed.has(callId)) this.#displayed.set(callId, { terminal: call.terminal, terminalDroppedBytes: call.terminalDroppedBytes })
          toolCalls = own.withKey(toolCalls, callId, { ...call, terminal: '', terminalDroppedBytes: 0 })
        }
      }
      for (const callId of this.#displayed.keys()) if (!displayed.has(callId)) this.#displayed.delete(callId)
      return toolCalls === state.toolCalls ? state : own.patch(state, { toolCalls })
    })
  }

  /**
   * `state` (a copy of the fold's state whose collections are its own, see copiedState) as a
   * display of the latest DISPLAYED_TERMINALS calls shows it; `changed`: calls set since the last drop.
   */
  displayed(state: RunState, changed: Iterable<string>): RunState {
    const order = state.toolCallOrder
    const toolCalls = state.toolCalls as Record<string, ToolCallView>
    const shown = new Set(order.slice(-DISPLAYED_TERMINALS))
    for (const [callId, tail] of this.#displayed) {
      const call = toolCalls[callId]
      if (call && shown.has(callId) && !hasTail(call)) toolCalls[callId] = { ...call, ...tail }
    }
    const candidates = new Set([...this.#unfinished, ...changed])
    for (let position = this.#lookedAt; position < order.length - DISPLAYED_TERMINALS; position++) candidates.add(order[position]!)
    for (const callId of candidates) {
      const call = toolCalls[callId]
      if (call && !shown.has(callId) && isFinished(call.status) && hasTail(call)) toolCalls[callId] = { ...call, terminal: '', terminalDroppedBytes: 0 }
    }
    return state
  }

  reset(): void {
    this.#lookedAt = 0
    this.#unfinished.clear()
    this.#displayed.clear()
  }
}
