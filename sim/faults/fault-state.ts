// Live fault state of one server: which one-shot faults have fired and how many create requests
// have arrived. Replaced as a whole when the faults are reconfigured, so re-arming is explicit.
import { errors, type ApiError } from '../protocol/errors'
import { assertNever } from '../../src-main/common/run/records'
import type { FaultSpec } from './fault-spec'

export type StreamAction =
  | { kind: 'send' }
  | { kind: 'drop' }
  | { kind: 'close'; code: number }
  | { kind: 'error' }
  | { kind: 'failed' }
  | { kind: 'stall'; ms: number }

type StreamFault = Extract<FaultSpec, { at: number }>

export class FaultState {
  private readonly fired = new Set<FaultSpec>()
  private createRequests = 0
  private upgrades = 0

  constructor(readonly specs: readonly FaultSpec[]) {}

  has(kind: 'sparse' | 'evict' | 'no-websocket' | 'no-pong'): boolean {
    return this.specs.some((fault) => fault.kind === kind)
  }

  /** Called once per WebSocket upgrade; the Retry-After seconds when this one is refused with 429. */
  upgradeRefusal(): number | null {
    const index = this.upgrades++
    for (const fault of this.specs) {
      if (fault.kind === 'upgrade-429' && index === 0) return fault.retryAfterSeconds
    }
    return null
  }

  /** Called once per create request on either transport: the error that refuses this one, if any. */
  refusalForNextRequest(): ApiError | null {
    const index = this.createRequests++
    for (const fault of this.specs) {
      if (fault.kind === 'rate-limit' && fault.request === index) return errors.rateLimited(fault.retryAfterSeconds)
      if (fault.kind === 'quota' && fault.request === index) return errors.insufficientQuota()
    }
    return null
  }

  /**
   * What to do instead of sending the next event on a stream that has sent `sent` events.
   * `inResponse` is false for frames outside a response (request errors, steering replies): only
   * drops and closes apply to those, the other faults wait for the next response event.
   */
  nextAction(sent: number, inResponse: boolean): StreamAction {
    for (const fault of this.specs) {
      if (!('at' in fault) || sent < fault.at) continue
      const repeating = fault.kind === 'drop' && fault.every
      if (!repeating && this.fired.has(fault)) continue
      const action = this.actionFor(fault, inResponse)
      if (!action) continue
      if (!repeating) this.fired.add(fault)
      return action
    }
    return { kind: 'send' }
  }

  private actionFor(fault: StreamFault, inResponse: boolean): StreamAction | null {
    switch (fault.kind) {
      case 'drop':
        return { kind: 'drop' }
      case 'close':
        return { kind: 'close', code: fault.code }
      case 'error':
        return inResponse ? { kind: 'error' } : null
      case 'failed':
        return inResponse ? { kind: 'failed' } : null
      case 'stall':
        return inResponse ? { kind: 'stall', ms: fault.ms } : null
      default:
        return assertNever(fault, 'stream fault')
    }
  }
}
