// Capped exponential backoff with full jitter: sleep = random(0, min(cap, base * 2^attempt)).
export interface BackoffPolicy {
  baseMs: number
  capMs: number
  random: () => number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, capMs: 8_000, random: Math.random }

export function backoffDelayMs(policy: BackoffPolicy, attempt: number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** attempt)
  return Math.floor(policy.random() * ceiling)
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
