// Capped exponential backoff with jitter, as the official `openai` SDK computes it
// (`calculateDefaultRetryTimeoutMillis`): min(cap, base * 2^attempt), less up to a quarter at
// random. Full jitter (anywhere from 0) would sometimes retry a rate-limited server at once.
export interface BackoffPolicy {
  baseMs: number
  capMs: number
  random: () => number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 8_000, random: Math.random }

export function backoffDelayMs(policy: BackoffPolicy, attempt: number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** attempt)
  return Math.round(ceiling * (1 - 0.25 * policy.random()))
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}
