// One WebSocket connection: parses client frames, schedules `response.create` on `stream_id`
// lanes (FIFO per lane, lanes concurrent, at most 16 in flight, 32 named lanes) and keeps each
// lane's latest response in memory. Steering is the SteeringDesk's. Protocol errors are answered
// with `error` events; the connection stays up.
import type { WebSocket } from 'ws'
import { assertNever } from '../../src-main/common/run/records'
import type { ResponseState } from '../model/conversation'
import { DelayLine } from '../net/delay-line'
import { parseCreateRequest, type CreateRequest, STREAM_ID_PATTERN } from '../protocol/create-request'
import { errors, nestedErrorFrame, type ApiError } from '../protocol/errors'
import { EventStream, type Link } from './event-stream'
import { prepareResponse, type FoundParent } from './prepare-response'
import type { ConnectionInfo } from './recorder'
import { ResponseRun } from './response-run'
import { prepareDeps, type ServerContext } from './server-context'
import { SteeringDesk } from './steering-desk'

export const MAX_IN_FLIGHT = 16
export const MAX_NAMED_LANES = 32

interface Lane {
  key: string
  streamId: string | undefined
  busy: boolean
  latest: ResponseState | null
}

interface QueuedCreate {
  request: CreateRequest
  lane: Lane
}

const CLIENT_EVENT_TYPES = ['response.create', 'response.steer'] as const

export class WsConnection {
  private readonly outbound: DelayLine
  private readonly inbound: DelayLine
  private readonly stream: EventStream
  private readonly lanes = new Map<string, Lane>()
  private readonly waiting: QueuedCreate[] = []
  private inFlight = 0
  private readonly steering: SteeringDesk
  private readonly openedAt: number
  private dead = false

  constructor(
    private readonly socket: WebSocket,
    private readonly context: ServerContext,
    private readonly info: ConnectionInfo
  ) {
    const { scheduler } = context
    this.openedAt = scheduler.now()
    this.outbound = new DelayLine(scheduler, () => context.settings().latencyMs)
    this.inbound = new DelayLine(scheduler, () => context.settings().latencyMs)
    this.stream = new EventStream(this.link(), () => context.faults(), scheduler, (bytes) => context.recorder.eventSent(info, bytes))
    this.steering = new SteeringDesk(this.stream, () => context.settings().scenario.steering !== 'fail', () => context.ids.next('steer'))
    socket.on('message', (data, isBinary) => {
      const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)
      const body = context.recorder.message('ws', info.id, buffer.toString('utf8'), buffer.byteLength)
      this.inbound.push(() => this.handleFrame(body, isBinary))
    })
    socket.on('ping', (data) => {
      if (!context.faults().has('no-pong')) this.outbound.push(() => this.socket.readyState === this.socket.OPEN && this.socket.pong(data))
    })
    socket.on('close', (code) => {
      this.dead = true
      context.recorder.connectionClosed(info, code)
    })
    socket.on('error', () => {
      // A protocol violation by the client; `ws` closes the socket and 'close' records it.
    })
  }

  /** Ends the connection abruptly (1006 at the client), as a crashed server would. */
  terminate(): void {
    this.dead = true
    this.socket.terminate()
  }

  private link(): Link {
    const { socket, outbound } = this
    // The link's own methods have their own `this`.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const connection = this
    return {
      get alive() {
        return !connection.dead && socket.readyState === socket.OPEN
      },
      send(frame) {
        const text = JSON.stringify(frame)
        outbound.push(() => {
          if (socket.readyState === socket.OPEN) socket.send(text)
        })
        return Buffer.byteLength(text)
      },
      drop() {
        connection.dead = true
        outbound.push(() => socket.terminate())
      },
      close(code) {
        connection.dead = true
        outbound.push(() => socket.close(code, 'server closed the connection'))
      }
    }
  }

  private refuse(error: ApiError, streamId?: string): void {
    this.stream.sendControl(nestedErrorFrame(error, streamId))
  }

  private handleFrame(body: unknown, isBinary: boolean): void {
    if (this.dead) return
    if (isBinary) return this.refuse(errors.malformedFrame('binary frames are not supported; send JSON text frames'))
    if (body === undefined) return this.refuse(errors.malformedFrame('the frame is not valid JSON'))
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return this.refuse(errors.malformedFrame('expected a JSON object'))
    const event = body as Record<string, unknown>
    if (event.type === undefined) return this.refuse(errors.missingParameter('type'))
    const type = CLIENT_EVENT_TYPES.find((known) => known === event.type)
    if (!type) return this.refuse(errors.invalidValue('type', event.type, CLIENT_EVENT_TYPES))
    switch (type) {
      case 'response.create':
        return this.create(event)
      case 'response.steer':
        return this.steering.handle(event)
      default:
        return assertNever(type, 'client event type')
    }
  }

  private create(event: Record<string, unknown>): void {
    const { context } = this
    const echoStreamId = typeof event.stream_id === 'string' && STREAM_ID_PATTERN.test(event.stream_id) ? event.stream_id : undefined
    const refusal = context.faults().refusalForNextRequest()
    if (refusal) return this.refuse(refusal, echoStreamId)
    const ageLimit = context.settings().connectionAgeLimitMs
    if (context.scheduler.now() - this.openedAt >= ageLimit) return this.refuse(errors.connectionLimitReached(ageLimit))
    const parsed = parseCreateRequest(event, 'ws', context.settings().dialect)
    if (!parsed.ok) return this.refuse(parsed.error, parsed.error.code === 'invalid_stream_id' ? undefined : echoStreamId)
    const lane = this.laneFor(parsed.value.streamId)
    if (!lane) return this.refuse(errors.streamLimitReached(MAX_NAMED_LANES), parsed.value.streamId)
    this.waiting.push({ request: parsed.value, lane })
    this.pump()
  }

  private laneFor(streamId: string | undefined): Lane | null {
    const key = streamId ?? ''
    const existing = this.lanes.get(key)
    if (existing) return existing
    const named = [...this.lanes.keys()].filter((laneKey) => laneKey !== '').length
    if (streamId !== undefined && named >= MAX_NAMED_LANES) return null
    const lane: Lane = { key, streamId, busy: false, latest: null }
    this.lanes.set(key, lane)
    return lane
  }

  /** Starts every queued request whose lane is idle, oldest first, within the in-flight cap. */
  private pump(): void {
    for (let index = 0; index < this.waiting.length && this.inFlight < MAX_IN_FLIGHT; ) {
      const entry = this.waiting[index] as QueuedCreate
      if (entry.lane.busy) {
        index++
        continue
      }
      this.waiting.splice(index, 1)
      entry.lane.busy = true
      this.inFlight++
      this.runOnLane(entry.request, entry.lane)
        // A bug in the sim must not look like a hung server to the client under test.
        .catch(() => this.refuse(errors.serverError(), entry.lane.streamId))
        .finally(() => {
          entry.lane.busy = false
          this.inFlight--
          if (!this.dead) this.pump()
        })
    }
  }

  private findParent(id: string): FoundParent | null {
    for (const lane of this.lanes.values()) {
      if (lane.latest?.id === id) return { state: lane.latest, source: { kind: 'connection', lane: lane.key } }
    }
    const stored = this.context.store.get(id)
    return stored ? { state: stored, source: { kind: 'store' } } : null
  }

  /** A failed continuation on the parent's own lane evicts the parent; a failed fork keeps it. */
  private evictAfterFailure(lane: Lane, parent: FoundParent | null): void {
    if (parent?.source.kind === 'connection' && parent.source.lane === lane.key && lane.latest?.id === parent.state.id) lane.latest = null
  }

  private async runOnLane(request: CreateRequest, lane: Lane): Promise<void> {
    if (this.dead) return
    const { context, steering } = this
    const prepared = prepareResponse(
      prepareDeps(context, (id) => this.findParent(id)),
      request,
      steering.heldInput(request.previousResponseId)
    )
    if (!prepared.ok) {
      this.evictAfterFailure(lane, prepared.parent)
      return this.refuse(prepared.error, lane.streamId)
    }
    steering.release(request.previousResponseId)
    const { value } = prepared
    const run = new ResponseRun(value, { scheduler: context.scheduler, stream: this.stream, streamId: lane.streamId, sparse: () => context.faults().has('sparse') })
    const logged = context.recorder.responseStarted({
      id: value.id,
      transport: 'ws',
      connectionId: this.info.id,
      streamId: lane.streamId ?? null,
      previousResponseId: request.previousResponseId,
      parentSource: value.parent?.source.kind ?? null,
      inputItems: request.input.length,
      contextItems: value.context.length,
      turn: value.decision.turn
    })
    steering.started(run)
    const result = await run.play()
    switch (result.kind) {
      case 'finished':
        context.recorder.responseEnded(logged, result.state.status === 'incomplete' ? 'incomplete' : 'completed')
        lane.latest = result.state
        context.store.put(result.state)
        break
      case 'failed':
      case 'errored':
        context.recorder.responseEnded(logged, result.kind)
        this.evictAfterFailure(lane, value.parent)
        break
      case 'gone':
        context.recorder.responseEnded(logged, 'dropped')
        break
      default:
        assertNever(result, 'run result')
    }
    const successor = steering.ended(run, result)
    if (successor) await this.runOnLane(successor, lane)
  }
}
