// What the run view is sent when it opens a run: the state as the app shows it, or, for a run
// whose transcript is longer than a person scrolls through, its latest entries. The whole state
// of a gigabyte log is tens of megabytes of JSON; taking it in held the page for seconds, while a
// window of the latest entries costs the same at any length. Replay shows every record.
import { DISPLAYED_TERMINALS } from './display-state'
import { replayWindow } from './replay-window'
import type { RunState } from './state'

/** Transcript entries the run view holds at most when it opens a run. */
export const RUN_VIEW_ENTRIES = 10_000

export interface RunView {
  state: RunState
  /** Transcript entries before the ones `state` holds. */
  leftOut: number
}

/** `state` as the app shows it (`displayState`), windowed when its transcript is longer than `keep`. */
export function runView(state: RunState, keep = RUN_VIEW_ENTRIES): RunView {
  if (state.timeline.length <= keep) return { state, leftOut: 0 }
  return replayWindow(state, keep, DISPLAYED_TERMINALS)
}
