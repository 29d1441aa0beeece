// The scenario file format (documented in sim/README.md). A scenario is a script of turns; the
// server picks which turn to play from the conversation it is given (see model/turn-selector.ts).
import { z } from 'zod'

export const timingSchema = z.strictObject({
  /** Time from the start of a response to its first output item. */
  ttftMs: z.number().min(0).optional(),
  /** Time per output token; a delta of N tokens follows the previous one after N intervals. */
  tokenIntervalMs: z.number().min(0).optional(),
  /** Tokens per delta event (text, refusal, reasoning summary and call arguments). */
  tokensPerDelta: z.number().int().min(1).optional(),
  /** Server cost per input item it has to render (see README, "Server-side re-rendering"). Off by default. */
  renderCostPerItemMs: z.number().min(0).optional()
})

const reasoningItem = z.strictObject({ type: z.literal('reasoning'), summary: z.string() })
const messageItem = z
  .strictObject({
    type: z.literal('message'),
    text: z.string().optional(),
    /** Instead of `text`: this many tokens of deterministic filler prose. */
    fillerTokens: z.number().int().positive().optional(),
    phase: z.enum(['commentary', 'final_answer']).optional()
  })
  .refine((item) => (item.text === undefined) !== (item.fillerTokens === undefined), {
    message: 'a message needs exactly one of "text" or "fillerTokens"'
  })
const refusalItem = z.strictObject({ type: z.literal('refusal'), text: z.string().min(1) })
const functionCallItem = z.strictObject({
  type: z.literal('function_call'),
  name: z.string().min(1),
  /** An object is sent as its JSON text; a string is sent verbatim (to script malformed arguments). */
  arguments: z.union([z.record(z.string(), z.unknown()), z.string()])
})

export const scriptedItemSchema = z.discriminatedUnion('type', [reasoningItem, messageItem, refusalItem, functionCallItem])

/** `times`: how many times this ending happens for this turn on one server; later plays complete. */
const endingSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('completed') }),
  z.strictObject({
    status: z.literal('incomplete'),
    reason: z.enum(['max_output_tokens', 'content_filter']),
    times: z.number().int().min(1).optional()
  }),
  z.strictObject({
    status: z.literal('failed'),
    code: z.string().min(1).optional(),
    message: z.string().min(1).optional(),
    times: z.number().int().min(1).optional()
  })
])

/**
 * What a turn plays instead when the last tool output in the conversation matches `pattern` (a
 * regular expression), e.g. when the person denied the call before it. It ends the script there,
 * so it has no function calls.
 */
const alternativeSchema = z.strictObject({
  lastOutputMatches: z.string().min(1).refine((pattern) => {
    try {
      new RegExp(pattern)
      return true
    } catch {
      return false
    }
  }, 'not a valid regular expression'),
  output: z.array(scriptedItemSchema).min(1).refine((items) => items.every((item) => item.type !== 'function_call'), 'an alternative ends the script: no function calls')
})

export const turnSchema = z.strictObject({
  /** Free text for people reading the scenario; never sent. */
  note: z.string().optional(),
  output: z.array(scriptedItemSchema).min(1),
  instead: alternativeSchema.optional(),
  end: endingSchema.optional(),
  timing: timingSchema.optional()
})

export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** A task to type into the client; the script does not depend on it. */
  task: z.string().optional(),
  timing: timingSchema.optional(),
  /** Fault specs, as for `--fault`. */
  faults: z.array(z.string()).optional(),
  /** `fail` answers every `response.steer` with `steering_not_supported`. */
  steering: z.enum(['accept', 'fail']).optional(),
  /** Text answered once every turn has been played. */
  epilogue: z.string().optional(),
  /**
   * The model's context window in the sim's tokens: a larger context is refused with
   * `context_length_exceeded`, and a `tool_choice: "none"` request is answered with a summary.
   */
  contextWindow: z.number().int().positive().optional(),
  turns: z.array(turnSchema).min(1)
})

export type Timing = Required<z.infer<typeof timingSchema>>
export type ScriptedItem = z.infer<typeof scriptedItemSchema>
export type ScriptedFunctionCall = z.infer<typeof functionCallItem>
export type Ending = z.infer<typeof endingSchema>
export type Turn = z.infer<typeof turnSchema>
export type Scenario = z.infer<typeof scenarioSchema>

export const DEFAULT_TIMING: Timing = { ttftMs: 0, tokenIntervalMs: 0, tokensPerDelta: 1, renderCostPerItemMs: 0 }
export const DEFAULT_EPILOGUE = 'There is nothing left to do in this scenario.'

export function callsIn(turn: Turn): ScriptedFunctionCall[] {
  return turn.output.filter((item): item is ScriptedFunctionCall => item.type === 'function_call')
}
