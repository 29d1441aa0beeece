// The scripted model: given a request and the context it continues, decides what the response
// streams. Deterministic apart from ids, and a function of the conversation (see turn-selector).
import type { InputItem } from '../../src-main/common/protocol/wire'
import type { CreateRequest } from '../protocol/create-request'
import { callsIn, DEFAULT_EPILOGUE, DEFAULT_TIMING, type Scenario, type Timing, type Turn } from '../scenarios/scenario-schema'
import type { IdFactory } from './ids'
import { renderItems, selectItems, type PlannedEnding, type ResponsePlan } from './render-turn'
import { chooseTurn, positionOf } from './turn-selector'
import { positionMarker } from './context-window'

/** What a summary says about the conversation it replaces: a count of what happened in it. */
function summaryOf(context: readonly InputItem[]): string {
  const calls = context.filter((item) => (item as { type?: string }).type === 'function_call').length
  const messages = context.filter((item) => (item as { role?: string }).role === 'assistant').length
  return `Summary of the conversation so far: ${calls} tool call(s) were made and answered, and ${messages} assistant message(s) were written.`
}

export type PlayedTurn = number | 'epilogue' | 'warmup' | 'summary'

export interface ModelDecision {
  plan: ResponsePlan
  ending: PlannedEnding
  turn: PlayedTurn
  timing: Timing
}

export function timingFor(scenario: Scenario, turn: Turn | undefined, override: Partial<Timing>): Timing {
  return { ...DEFAULT_TIMING, ...scenario.timing, ...turn?.timing, ...override }
}

/** Whether the last tool output in the conversation matches `pattern`. */
function lastOutputMatches(context: readonly InputItem[], pattern: string): boolean {
  for (let index = context.length - 1; index >= 0; index--) {
    const item = context[index] as { type?: string; output?: unknown }
    if (item.type === 'function_call_output') return typeof item.output === 'string' && new RegExp(pattern).test(item.output)
  }
  return false
}

export class ScriptedModel {
  private readonly plays = new Map<number, number>()
  private readonly callsPerTurn: number[]

  constructor(
    readonly scenario: Scenario,
    private readonly timingOverride: () => Partial<Timing>,
    private readonly ids: IdFactory
  ) {
    this.callsPerTurn = scenario.turns.map((turn) => callsIn(turn).length)
  }

  respond(request: CreateRequest, context: readonly InputItem[]): ModelDecision {
    const completed: PlannedEnding = { status: 'completed' }
    if (!request.generate) {
      const timing = timingFor(this.scenario, undefined, this.timingOverride())
      return { plan: { items: [], steps: [], outputTokens: 0, reasoningTokens: 0 }, ending: completed, turn: 'warmup', timing }
    }
    const position = positionOf(context)
    const common = {
      ids: this.ids,
      parallelToolCalls: request.parallelToolCalls,
      toolChoice: request.toolChoice,
      includeEncryptedReasoning: request.includeEncryptedReasoning
    }
    if (this.scenario.contextWindow !== undefined && request.toolChoice === 'none') {
      // Asked to summarise (no tools) in a scenario that models a context window.
      const timing = timingFor(this.scenario, undefined, this.timingOverride())
      const text = `${summaryOf(context)} ${positionMarker(position)}`
      const plan = renderItems([{ type: 'message', text }], { ...common, timing, callsAnswered: 0, truncateLastItem: false })
      return { plan, ending: completed, turn: 'summary', timing }
    }
    const choice = chooseTurn(this.callsPerTurn, position)
    if (choice.kind === 'exhausted') {
      const timing = timingFor(this.scenario, undefined, this.timingOverride())
      const text = this.scenario.epilogue ?? DEFAULT_EPILOGUE
      const plan = renderItems([{ type: 'message', text }], { ...common, timing, callsAnswered: 0, truncateLastItem: false })
      return { plan, ending: completed, turn: 'epilogue', timing }
    }
    const turn = this.scenario.turns[choice.turnIndex] as Turn
    const ending = this.endingFor(choice.turnIndex, turn)
    const timing = timingFor(this.scenario, turn, this.timingOverride())
    const alternative = choice.callsAnswered === 0 && turn.instead && lastOutputMatches(context, turn.instead.lastOutputMatches) ? turn.instead.output : null
    const items = alternative ?? selectItems(turn, { callsAnswered: choice.callsAnswered, parallelToolCalls: request.parallelToolCalls, toolChoice: request.toolChoice })
    const plan = renderItems(items, { ...common, timing, callsAnswered: choice.callsAnswered, truncateLastItem: ending.status === 'incomplete' })
    return { plan, ending, turn: choice.turnIndex, timing }
  }

  /** Scripted incomplete/failed endings happen the first `times` plays of a turn, so a retry can succeed. */
  private endingFor(turnIndex: number, turn: Turn): PlannedEnding {
    const played = this.plays.get(turnIndex) ?? 0
    this.plays.set(turnIndex, played + 1)
    const end = turn.end
    if (!end || end.status === 'completed' || played >= (end.times ?? 1)) return { status: 'completed' }
    if (end.status === 'incomplete') return { status: 'incomplete', reason: end.reason }
    return {
      status: 'failed',
      code: end.code ?? 'server_error',
      message: end.message ?? 'The server had an error while processing your request. Sorry about that!'
    }
  }
}
