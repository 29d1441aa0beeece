// Plays one prepared response onto a stream: lifecycle events, the timed item events, and exactly
// one ending (completed, incomplete, failed), unless a fault or a steer ends it differently.
import type { InputItem, ResponseStatus } from '../../src-main/common/protocol/wire'
import { assertNever } from '../../src-main/common/run/records'
import type { ResponseState } from '../model/conversation'
import { OutputTracker } from '../model/output-tracker'
import type { PlannedEnding } from '../model/render-turn'
import { errors, flatErrorFrame, nestedErrorFrame } from '../protocol/errors'
import type { EventBody, LifecycleBody } from '../protocol/event-body'
import { buildResponse, type ResponseFacts, type WireResponse } from '../protocol/response-object'
import type { Scheduler } from '../net/scheduler'
import type { EventOutcome, EventStream } from './event-stream'
import type { PreparedResponse } from './prepare-response'
import { wantsObfuscation, withObfuscation } from '../protocol/obfuscation'

export interface AcceptedSteer {
  id: string
  input: InputItem[]
}

export type RunResult =
  | { kind: 'finished'; state: ResponseState; steers: AcceptedSteer[] }
  | { kind: 'failed'; steers: AcceptedSteer[] }
  | { kind: 'errored'; steers: AcceptedSteer[] }
  | { kind: 'gone' }

/** Events a sparse stream leaves out (the SDK's socket accumulator is built to cope without them). */
const SPARSE_OMITTED = new Set(['response.output_item.added', 'response.content_part.added'])

/**
 * Events a response may send back to back before letting the event loop read sockets, so other
 * lanes and incoming steers interleave with a fast (or late) stream, as on a real server.
 */
const EVENTS_PER_YIELD = 32

function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

export interface RunDeps {
  scheduler: Scheduler
  stream: EventStream
  streamId: string | undefined
  sparse: () => boolean
}

export class ResponseRun {
  private sequence = 0
  private readonly tracker = new OutputTracker()
  private readonly steers: AcceptedSteer[] = []
  private cutForSteer = false
  private finished = false
  private readonly createdAt = Math.floor(Date.now() / 1000)
  private readonly obfuscate: boolean

  constructor(
    readonly prepared: PreparedResponse,
    private readonly deps: RunDeps
  ) {
    this.obfuscate = wantsObfuscation(prepared.request.params)
  }

  get id(): string {
    return this.prepared.id
  }

  get isFinished(): boolean {
    return this.finished
  }

  get acceptedSteers(): number {
    return this.steers.length
  }

  /** Records a steer and acknowledges it. A response that has started calling tools is not cut. */
  acceptSteer(steerId: string, input: InputItem[]): void {
    this.steers.push({ id: steerId, input })
    if (!this.tracker.hasFunctionCall()) this.cutForSteer = true
    this.deps.stream.sendControl(this.stamp({ type: 'response.steer.accepted', steer: { id: steerId, previous_response_id: this.id } }))
  }

  /** A frame for this response's lane with the next sequence number (steering replies after the end). */
  stamp(body: object): object {
    return this.frame(body, this.sequence++)
  }

  async play(): Promise<RunResult> {
    try {
      return await this.playEvents()
    } finally {
      this.finished = true
    }
  }

  private async playEvents(): Promise<RunResult> {
    const { scheduler } = this.deps
    const inProgress = this.response({ status: 'in_progress', output: [] })
    const lifecycle: LifecycleBody[] = [
      { type: 'response.created', response: inProgress },
      { type: 'response.in_progress', response: inProgress }
    ]
    for (const body of lifecycle) {
      const outcome = await this.emit(body)
      if (outcome.kind !== 'sent') return this.interrupted(outcome)
    }
    let target = scheduler.now() + this.prepared.renderCostMs
    let sinceYield = 0
    for (const step of this.prepared.decision.plan.steps) {
      target += step.gapMs
      if (target > scheduler.now()) {
        await scheduler.until(target)
        sinceYield = 0
      } else if (++sinceYield >= EVENTS_PER_YIELD) {
        await yieldToIo()
        sinceYield = 0
      }
      if (this.cutForSteer) return this.endSteered()
      const outcome = await this.emit(step.event)
      if (outcome.kind !== 'sent') return this.interrupted(outcome)
      target += outcome.stalledMs
    }
    return this.end(this.prepared.decision.ending)
  }

  private async end(ending: PlannedEnding): Promise<RunResult> {
    const output = this.tracker.snapshot()
    const common = { output, usage: this.prepared.usage }
    switch (ending.status) {
      case 'completed':
        return this.terminal('response.completed', this.response({ ...common, status: 'completed', completedAt: Math.floor(Date.now() / 1000) }))
      case 'incomplete':
        return this.terminal('response.incomplete', this.response({ ...common, status: 'incomplete', incompleteReason: ending.reason }))
      case 'failed': {
        const response = this.response({ ...common, status: 'failed', error: { code: ending.code, message: ending.message } })
        const outcome = await this.emit({ type: 'response.failed', response: this.shaped(response) })
        return outcome.kind === 'sent' ? { kind: 'failed', steers: this.steers } : this.interrupted(outcome)
      }
      default:
        return assertNever(ending, 'ending')
    }
  }

  /** Steered: close the items still streaming as incomplete, end `incomplete` / `steered`. */
  private async endSteered(): Promise<RunResult> {
    for (const event of this.tracker.openItems().flatMap((index) => this.tracker.closingEvents(index))) {
      const outcome = await this.emit(event)
      if (outcome.kind !== 'sent') return this.interrupted(outcome)
    }
    const response = this.response({ status: 'incomplete', output: this.tracker.snapshot(), usage: this.prepared.usage, incompleteReason: 'steered' })
    return this.terminal('response.incomplete', response)
  }

  private async terminal(type: 'response.completed' | 'response.incomplete', response: WireResponse): Promise<RunResult> {
    const outcome = await this.emit({ type, response: this.shaped(response) })
    if (outcome.kind !== 'sent') return this.interrupted(outcome)
    const { prepared } = this
    const state: ResponseState = {
      id: prepared.id,
      request: prepared.request,
      context: prepared.context,
      output: response.output,
      status: response.status as ResponseStatus,
      response
    }
    return { kind: 'finished', state, steers: this.steers }
  }

  /** A fault replaced the next event: send its replacement and report how the response ended. */
  private interrupted(outcome: Exclude<EventOutcome, { kind: 'sent' }>): RunResult {
    const { stream, streamId } = this.deps
    switch (outcome.kind) {
      case 'gone':
        return { kind: 'gone' }
      case 'error': {
        // Before `response.created` the request itself is refused (nested); afterwards the stream
        // fails (flat) and, as the API does (sim/recorded/openai-error.jsonl), the response then
        // ends with its own `response.failed`, which carries its usage.
        const error = errors.serverError()
        if (this.sequence === 0) {
          stream.sendReplacement(nestedErrorFrame(error, streamId))
          return { kind: 'errored', steers: this.steers }
        }
        stream.sendReplacement(flatErrorFrame(error, this.sequence++, streamId))
        const response = this.response({ status: 'failed', output: this.tracker.snapshot(), error: { code: error.code ?? 'server_error', message: error.message } })
        stream.sendReplacement(this.frame({ type: 'response.failed', response: this.shaped(response) }, this.sequence++))
        return { kind: 'errored', steers: this.steers }
      }
      case 'failed': {
        const { code, message } = errors.serverError()
        const response = this.response({ status: 'failed', output: this.tracker.snapshot(), error: { code: code ?? 'server_error', message } })
        stream.sendReplacement(this.frame({ type: 'response.failed', response: this.shaped(response) }, this.sequence++))
        return { kind: 'failed', steers: this.steers }
      }
      default:
        return assertNever(outcome, 'event outcome')
    }
  }

  private async emit(body: EventBody | LifecycleBody): Promise<EventOutcome> {
    const track = (): void => {
      if (!('response' in body)) this.tracker.apply(body)
    }
    if (this.deps.sparse() && SPARSE_OMITTED.has(body.type)) {
      track()
      return { kind: 'sent', stalledMs: 0 }
    }
    const outcome = await this.deps.stream.sendEvent(this.frame(body, this.sequence))
    if (outcome.kind === 'sent') {
      this.sequence++
      track()
    }
    return outcome
  }

  private frame(body: object, sequenceNumber: number): object {
    const { streamId } = this.deps
    const framed = streamId === undefined ? { ...body, sequence_number: sequenceNumber } : { ...body, sequence_number: sequenceNumber, stream_id: streamId }
    return withObfuscation(framed, this.obfuscate)
  }

  /** Sparse streams omit `output` from terminal responses. */
  private shaped(response: WireResponse): WireResponse {
    if (!this.deps.sparse()) return response
    const { output: _omitted, ...rest } = response
    return rest as WireResponse
  }

  private response(facts: Partial<ResponseFacts> & Pick<ResponseFacts, 'status' | 'output'>): WireResponse {
    return buildResponse({
      id: this.prepared.id,
      request: this.prepared.request,
      createdAt: this.createdAt,
      usage: null,
      error: null,
      incompleteReason: null,
      completedAt: null,
      ...facts
    })
  }
}
