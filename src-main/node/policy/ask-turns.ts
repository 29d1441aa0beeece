// One question at a time: calls that run concurrently (reads, scripts) may each need a person, and
// a terminal can only ask one thing at once. A caller whose run is interrupted leaves the line at
// once without letting anyone behind it skip ahead.

/** Resolves when `signal` aborts (at once if it has); `cancel` removes the listener. */
export function whenAborted(signal: AbortSignal): { aborted: Promise<void>; cancel: () => void } {
  let cancel = (): void => undefined
  const aborted = new Promise<void>((resolve) => {
    if (signal.aborted) return resolve()
    const onAbort = (): void => resolve()
    signal.addEventListener('abort', onAbort, { once: true })
    cancel = () => signal.removeEventListener('abort', onAbort)
  })
  return { aborted, cancel }
}

export const ABORTED: unique symbol = Symbol('aborted')

export class AskTurns {
  #last: Promise<void> = Promise.resolve()

  /**
   * Runs `task` once every earlier task has finished; returns `aborted` (without running it) if
   * `signal` aborts first.
   */
  async take<T>(signal: AbortSignal, task: () => Promise<T>): Promise<T | typeof ABORTED> {
    const previous = this.#last
    let release = (): void => undefined
    const mine = new Promise<void>((resolve) => {
      release = resolve
    })
    this.#last = previous.then(() => mine)
    const abort = whenAborted(signal)
    try {
      const first = await Promise.race([previous.then(() => 'ready' as const), abort.aborted.then((): typeof ABORTED => ABORTED)])
      if (first === ABORTED) return ABORTED
      return await task()
    } finally {
      abort.cancel()
      release()
    }
  }
}
