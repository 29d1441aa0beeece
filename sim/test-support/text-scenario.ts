// Text-only scripts for lane, cache and steering tests.
import type { Scenario, Timing } from '../scenarios/scenario-schema'

/** Every turn answers one sentence, so any number of requests can be made. */
export function echoScenario(timing: Partial<Timing> = {}): Scenario {
  return {
    name: 'echo',
    timing,
    epilogue: 'Same answer again.',
    turns: [{ output: [{ type: 'message', text: 'First answer.' }] }]
  }
}

/** A long answer streamed slowly enough to be steered mid-way, then a tool call turn. */
export function steerableScenario(): Scenario {
  return {
    name: 'steerable',
    timing: { tokenIntervalMs: 2, tokensPerDelta: 1 },
    epilogue: 'Adjusted as asked.',
    turns: [{ output: [{ type: 'message', fillerTokens: 400 }] }]
  }
}

export const CREATE = { type: 'response.create', model: 'gpt-5.2', store: false } as const
