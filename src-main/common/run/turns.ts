// Finding and changing one turn's view. The live turn is the last one, so a search from the end
// finds it at once however long the run is.
import type { Ownership } from './ownership'
import type { RunState, TurnView } from './state'

/** Where turn `turn` sits in `turns`; searched from the end, where the live turn is. */
export function turnIndexOf(turns: readonly TurnView[], turn: number): number {
  for (let index = turns.length - 1; index >= 0; index--) if (turns[index]!.turn === turn) return index
  return -1
}

/** `state` with turn `turn` updated in place of the old view; unchanged when there is no such turn. */
export function updateTurn(state: RunState, turn: number, own: Ownership, update: (view: TurnView) => TurnView): RunState {
  const index = turnIndexOf(state.turns, turn)
  if (index === -1) return state
  return own.patch(state, { turns: own.withIndex(state.turns, index, update(state.turns[index]!)) })
}

