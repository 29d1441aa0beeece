// `response.steer` on one connection: which responses can be steered, the replies, and what
// follows a steered response - an automatic successor, or `response.steer.pending` and steer
// input held for the create that answers the response's tool calls.
import type { InputItem } from '../../src-main/common/protocol/wire'
import { assertNever } from '../../src-main/common/run/records'
import type { CreateRequest } from '../protocol/create-request'
import { parseSteer } from '../protocol/steer-request'
import type { EventStream } from './event-stream'
import type { ResponseRun, RunResult } from './response-run'

/** Steers a single response accepts before `too_many_pending_steers` (the API's limit is not documented). */
export const MAX_STEERS_PER_RESPONSE = 4

interface SteerEcho {
  id?: string
  previous_response_id: unknown
  input: unknown
}

export class SteeringDesk {
  private readonly active = new Map<string, ResponseRun>()
  private readonly finished = new Set<string>()
  private readonly awaitingToolOutput = new Map<string, InputItem[]>()

  constructor(
    private readonly stream: EventStream,
    private readonly steeringEnabled: () => boolean,
    private readonly newSteerId: () => string
  ) {}

  started(run: ResponseRun): void {
    this.active.set(run.id, run)
  }

  /** Steer input held for the create that continues `previousResponseId` (prepended to its input). */
  heldInput(previousResponseId: string | null): InputItem[] {
    return previousResponseId === null ? [] : (this.awaitingToolOutput.get(previousResponseId) ?? [])
  }

  /** The held input was used by a create that started. */
  release(previousResponseId: string | null): void {
    if (previousResponseId !== null) this.awaitingToolOutput.delete(previousResponseId)
  }

  /**
   * Called when a response ended. Returns the automatic successor to run on the same lane, if
   * the response was steered and did not stop for tool output.
   */
  ended(run: ResponseRun, result: RunResult): CreateRequest | null {
    this.active.delete(run.id)
    this.finished.add(run.id)
    switch (result.kind) {
      case 'finished': {
        const { steers, state } = result
        if (steers.length === 0) return null
        const input = steers.flatMap((steer) => steer.input)
        const calls = state.output.flatMap((item) => (item.type === 'function_call' ? [item] : []))
        if (calls.length === 0) return { ...state.request, previousResponseId: run.id, input, generate: true }
        this.awaitingToolOutput.set(run.id, input)
        for (const steer of steers) {
          this.stream.sendControl(
            run.stamp({
              type: 'response.steer.pending',
              reason: 'waiting_for_required_input',
              steer: { id: steer.id, previous_response_id: run.id },
              required_input: calls.map((call) => ({ type: 'function_call_output', call_id: call.call_id, name: call.name }))
            })
          )
        }
        return null
      }
      case 'failed':
      case 'errored':
        for (const steer of result.steers) {
          this.fail(run, { id: steer.id, previous_response_id: run.id, input: steer.input }, 'successor_creation_failed', 'The response failed before the steer could be applied.')
        }
        return null
      case 'gone':
        return null
      default:
        return assertNever(result, 'run result')
    }
  }

  handle(event: Record<string, unknown>): void {
    const echo = { previous_response_id: event.previous_response_id, input: event.input }
    const parsed = parseSteer(event)
    if (!parsed.ok) return this.fail(null, echo, 'invalid_input', parsed.message)
    const target = parsed.previousResponseId
    if (!this.steeringEnabled()) return this.fail(null, echo, 'steering_not_supported', 'Steering is not supported for this model.')
    const run = this.active.get(target)
    if (!run || run.isFinished) {
      return this.finished.has(target) || run
        ? this.fail(run ?? null, echo, 'response_already_completed', `Response '${target}' has already completed.`)
        : this.fail(null, echo, 'response_not_found', `Response '${target}' was not found on this connection.`)
    }
    if (run.acceptedSteers >= MAX_STEERS_PER_RESPONSE) {
      return this.fail(run, echo, 'too_many_pending_steers', `Response '${target}' already has ${MAX_STEERS_PER_RESPONSE} pending steers.`)
    }
    run.acceptSteer(this.newSteerId(), parsed.input)
  }

  private fail(run: ResponseRun | null, steer: SteerEcho, code: string, message: string): void {
    const body = { type: 'response.steer.failed', error: { type: 'invalid_request_error', code, message }, steer }
    this.stream.sendControl(run ? run.stamp(body) : { ...body, sequence_number: 0 })
  }
}
