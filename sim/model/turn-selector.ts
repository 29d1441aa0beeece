// Which scripted turn comes next is decided by the conversation alone, never by a per-connection
// counter. That makes the server's answer a function of the transcript: a client that resends the
// whole transcript after a dropped connection gets exactly the turn an incremental continuation
// would have got.
//
// The rule (also in sim/README.md):
//   1. O = number of function_call_output items in the context. Turns are laid out on a line of
//      tool calls: turn k covers calls cum(k) .. cum(k)+calls(k)-1.
//   2. The next turn is the one whose calls contain position O; if O falls inside a turn (some of
//      its calls were answered, e.g. with parallel_tool_calls:false, or after a drop the client
//      kept the calls it had already run), only the remaining calls are played and the turn's
//      other items are not repeated.
//   3. Turns without calls that sit exactly at position O form a block; M = completed assistant
//      messages after the last function_call_output skips that many turns of the block (a turn
//      with calls always ends a block, because its calls need outputs before anything follows).
//   4. Past the last turn the scenario is exhausted and the server answers its epilogue.
// User messages (the task, steering) never move the position. A compaction item or a summary
// the sim wrote carries the position of the context it replaced (see context-window.ts).
import type { InputItem } from '../../src-main/common/protocol/wire'
import { carriedPosition } from './context-window'

export interface ConversationPosition {
  toolOutputs: number
  assistantMessagesSinceLastOutput: number
}

export type TurnChoice =
  | { kind: 'turn'; turnIndex: number; callsAnswered: number }
  | { kind: 'exhausted' }

export function positionOf(context: readonly InputItem[]): ConversationPosition {
  let toolOutputs = 0
  let assistantMessagesSinceLastOutput = 0
  for (const item of context) {
    const loose = item as { type?: string; role?: string; status?: string }
    const carried = carriedPosition(item)
    if (carried !== null) {
      toolOutputs = carried.toolOutputs
      assistantMessagesSinceLastOutput = carried.assistantMessagesSinceLastOutput
    } else if (loose.type === 'function_call_output') {
      toolOutputs++
      assistantMessagesSinceLastOutput = 0
    } else if ((loose.type ?? 'message') === 'message' && loose.role === 'assistant' && loose.status !== 'incomplete') {
      assistantMessagesSinceLastOutput++
    }
  }
  return { toolOutputs, assistantMessagesSinceLastOutput }
}

export function chooseTurn(callsPerTurn: readonly number[], position: ConversationPosition): TurnChoice {
  let remaining = position.toolOutputs
  let skipMessages = position.assistantMessagesSinceLastOutput
  for (const [turnIndex, calls] of callsPerTurn.entries()) {
    if (calls === 0) {
      if (remaining > 0) continue
      if (skipMessages > 0) {
        skipMessages--
        continue
      }
      return { kind: 'turn', turnIndex, callsAnswered: 0 }
    }
    if (remaining < calls) return { kind: 'turn', turnIndex, callsAnswered: remaining }
    remaining -= calls
  }
  return { kind: 'exhausted' }
}
