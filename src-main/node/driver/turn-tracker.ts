// Decides when a turn is over. A terminal event ends it, unless the person's steer was accepted:
// then the server starts a successor response on its own and the turn goes on until that ends.
// An `error` inside a streaming response is usually followed by that response's `response.failed`
// (which carries its usage): the turn waits for it, briefly, and ends with the error's facts.
import type { ServerEvent } from '../../common/protocol/wire'
import { isNestedError, wireErrorOf } from '../../common/protocol/wire'
import type { TurnEnd } from './transport'

export class TurnTracker {
  #awaitingSuccessor = false
  #sawEvent = false
  #lastTerminal: Extract<TurnEnd, { kind: 'terminal' }> | null = null
  #responseOpen = false
  #pendingError: Extract<TurnEnd, { kind: 'error' }> | null = null

  get sawEvent(): boolean {
    return this.#sawEvent
  }

  /** How the turn ends if nothing more arrives: an error waiting for its `response.failed`. */
  get pendingEnd(): TurnEnd | null {
    return this.#pendingError
  }

  /** Returns how the turn ended, or null while it goes on. */
  observe(event: ServerEvent): TurnEnd | null {
    this.#sawEvent = true
    switch (event.type) {
      case 'response.steer.accepted':
        this.#awaitingSuccessor = true
        return null
      case 'response.steer.failed':
        this.#awaitingSuccessor = false
        return null
      case 'response.steer.pending':
        // The response stopped for our tool output; the steer rides along with our next request.
        this.#awaitingSuccessor = false
        return this.#lastTerminal
      case 'response.created':
        this.#awaitingSuccessor = false
        this.#responseOpen = true
        return null
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed':
        this.#responseOpen = false
        if (this.#pendingError) return this.#pendingError
        this.#lastTerminal = { kind: 'terminal', event }
        return this.#awaitingSuccessor ? null : this.#lastTerminal
      case 'error': {
        // A nested error with a lane other than ours, or a steer problem, is not ours to end on.
        if (isNestedError(event) && event.stream_id !== undefined) return null
        const end = { kind: 'error' as const, error: wireErrorOf(event) }
        if (!this.#responseOpen) return end
        this.#pendingError = end
        return null
      }
      default:
        return null
    }
  }
}
