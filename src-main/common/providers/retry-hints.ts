// What a server says about retrying, read from HTTP headers or from a WebSocket `error` event's
// `headers`. The headers and their precedence follow the official `openai` SDK (src/client.ts,
// `shouldRetry` and `retryRequest`): `x-should-retry` overrides the status, `retry-after-ms` wins
// over `retry-after` (seconds or an HTTP date). OpenAI's rate-limit headers
// (https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers) add
// `x-ratelimit-reset-requests` / `-tokens` as durations such as `1s`, `6m0s` or `20ms`.

export interface RetryHints {
  /** The server's own verdict, when it gave one. */
  shouldRetry: boolean | null
  /** How long the server asks to wait, in ms; null when it did not say. */
  delayMs: number | null
}

export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>

function header(headers: HeaderBag, name: string): string | null {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue
    const first = Array.isArray(value) ? value[0] : value
    return typeof first === 'string' && first.trim().length > 0 ? first.trim() : null
  }
  return null
}

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 }

/** `6m0s` → 360000; `1.5s` → 1500; `20ms` → 20; a bare number is seconds. Null if unreadable. */
export function parseDuration(text: string): number | null {
  const value = text.trim()
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000
  let total = 0
  let consumed = ''
  for (const match of value.matchAll(DURATION_PART)) {
    total += Number(match[1]) * UNIT_MS[match[2]!]!
    consumed += match[0]
  }
  return consumed.length > 0 && consumed === value ? total : null
}

function retryAfterMs(value: string, now: number): number | null {
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

/** The longest reset among the limits that ran out (or all of them, when `remaining` is not sent). */
function rateLimitResetMs(headers: HeaderBag): number | null {
  let longest: number | null = null
  for (const kind of ['requests', 'tokens']) {
    const reset = header(headers, `x-ratelimit-reset-${kind}`)
    if (reset === null) continue
    const remaining = header(headers, `x-ratelimit-remaining-${kind}`)
    if (remaining !== null && Number(remaining) > 0) continue
    const ms = parseDuration(reset)
    if (ms !== null) longest = Math.max(longest ?? 0, ms)
  }
  return longest
}

export function retryHintsOf(headers: HeaderBag | null | undefined, now: number): RetryHints {
  if (!headers) return { shouldRetry: null, delayMs: null }
  const verdict = header(headers, 'x-should-retry')
  const shouldRetry = verdict === 'true' ? true : verdict === 'false' ? false : null
  const ms = header(headers, 'retry-after-ms')
  const after = header(headers, 'retry-after')
  const fromMs = ms !== null && Number.isFinite(Number(ms)) ? Math.max(0, Number(ms)) : null
  const delayMs = fromMs ?? (after !== null ? retryAfterMs(after, now) : null) ?? rateLimitResetMs(headers)
  return { shouldRetry, delayMs }
}

/** The headers worth keeping in a record: the retry hints, never anything that could identify a key. */
export const RETRY_HEADER_NAMES = [
  'retry-after',
  'retry-after-ms',
  'x-should-retry',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-remaining-tokens',
  'x-ratelimit-reset-requests',
  'x-ratelimit-reset-tokens'
] as const

export function retryHeadersOf(headers: HeaderBag | null | undefined): Record<string, string> | null {
  if (!headers) return null
  const kept: Record<string, string> = {}
  for (const name of RETRY_HEADER_NAMES) {
    const value = header(headers, name)
    if (value !== null) kept[name] = value
  }
  return Object.keys(kept).length === 0 ? null : kept
}
