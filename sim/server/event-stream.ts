// The outbound side of one stream (a WebSocket connection, or one HTTP response) with the faults
// applied: every server event passes here, is counted, and may be replaced by a drop, a close, a
// stall, an error or a failure instead of being sent.
import { assertNever } from '../../src-main/common/run/records'
import type { FaultState } from '../faults/fault-state'
import type { Scheduler } from '../net/scheduler'

/** A transport's outbound channel, already behind the emulated network. */
export interface Link {
  readonly alive: boolean
  /** Queues the frame on the link; returns the bytes it will put on the wire. */
  send(frame: object): number
  /** Abrupt TCP cut: the peer sees 1006 / a reset, no close frame. */
  drop(): void
  /** WebSocket close with `code`; an HTTP stream just ends without a terminal event. */
  close(code: number): void
}

export type EventOutcome = { kind: 'sent'; stalledMs: number } | { kind: 'gone' } | { kind: 'error' } | { kind: 'failed' }

export class EventStream {
  private sent = 0

  constructor(
    private readonly link: Link,
    private readonly faults: () => FaultState,
    private readonly scheduler: Scheduler,
    private readonly onSent: (bytes: number) => void
  ) {}

  get alive(): boolean {
    return this.link.alive
  }

  /** A frame outside a response (request error, steering reply). Only drops and closes apply. */
  sendControl(frame: object): void {
    if (!this.link.alive) return
    const action = this.faults().nextAction(this.sent, false)
    switch (action.kind) {
      case 'drop':
        this.link.drop()
        return
      case 'close':
        this.link.close(action.code)
        return
      case 'send':
      case 'error':
      case 'failed':
      case 'stall':
        this.deliver(frame)
        return
      default:
        assertNever(action, 'stream action')
    }
  }

  /**
   * A response event. Sends it, or reports the fault that replaces it: on `error` / `failed` the
   * caller sends the replacement with `sendReplacement`.
   */
  async sendEvent(frame: object): Promise<EventOutcome> {
    let stalledMs = 0
    for (;;) {
      if (!this.link.alive) return { kind: 'gone' }
      const action = this.faults().nextAction(this.sent, true)
      switch (action.kind) {
        case 'send':
          this.deliver(frame)
          return { kind: 'sent', stalledMs }
        case 'stall': {
          const before = this.scheduler.now()
          await this.scheduler.sleep(action.ms)
          stalledMs += this.scheduler.now() - before
          continue
        }
        case 'drop':
          this.link.drop()
          return { kind: 'gone' }
        case 'close':
          this.link.close(action.code)
          return { kind: 'gone' }
        case 'error':
        case 'failed':
          return { kind: action.kind }
        default:
          return assertNever(action, 'stream action')
      }
    }
  }

  sendReplacement(frame: object): void {
    if (this.link.alive) this.deliver(frame)
  }

  private deliver(frame: object): void {
    this.sent++
    this.onSent(this.link.send(frame))
  }
}
