// The model time of each scripted turn, computed by the same code that streams it. Benchmarks use
// it for the floor: the time a zero-overhead client on a zero-latency link would take.
import { callsIn, type Scenario, type Timing } from '../scenarios/scenario-schema'
import { IdFactory } from './ids'
import { planDurationMs, renderItems, selectItems } from './render-turn'
import { timingFor } from './scripted-model'

export interface TurnTiming {
  turn: number
  calls: number
  outputTokens: number
  /** ttftMs + tokenIntervalMs x outputTokens, from the start of the response to its last item event. */
  modelMs: number
  /** Add renderCostPerItemMs x (items the server must render) for the request that starts this turn. */
  renderCostPerItemMs: number
}

/** One entry per turn, as played with parallel tool calls (the default). */
export function scenarioTimeline(scenario: Scenario, timingOverride: Partial<Timing> = {}): TurnTiming[] {
  const ids = new IdFactory('timeline')
  return scenario.turns.map((turn, index) => {
    const timing = timingFor(scenario, turn, timingOverride)
    const items = selectItems(turn, { callsAnswered: 0, parallelToolCalls: true, toolChoice: 'auto' })
    const plan = renderItems(items, { timing, ids, callsAnswered: 0, parallelToolCalls: true, toolChoice: 'auto', includeEncryptedReasoning: false, truncateLastItem: false })
    return { turn: index, calls: callsIn(turn).length, outputTokens: plan.outputTokens, modelMs: planDurationMs(plan), renderCostPerItemMs: timing.renderCostPerItemMs }
  })
}
