// Every way a model server can refuse or fail a request, in one table: what it is called, whether
// Tether retries it, and what the person should do. HTTP refusals, WebSocket `error` events (both
// shapes) and `response.failed` all go through `classifyError`.
//
// Codes are OpenAI's documented ones (https://platform.openai.com/docs/guides/error-codes) and the
// WebSocket-mode codes (https://developers.openai.com/api/docs/guides/websocket-mode). xAI answers
// with gRPC status texts as `code` (`{ "code": "Client specified an invalid argument", "error": "…" }`,
// vercel/ai packages/xai/src/xai-error.test.ts), so those texts are matched too.

export const ERROR_CLASS_NAMES = [
  'auth',
  'quota',
  'model_not_found',
  'context_too_long',
  'invalid_request',
  'rate_limit',
  'overloaded',
  'server',
  'continuation_lost',
  'connection_aged'
] as const
export type ErrorClassName = (typeof ERROR_CLASS_NAMES)[number]

/**
 * `never`: fail the run at once. `backoff`: retry the same request after a delay (the server's, if
 * it named one). `resend_full`: send the turn again at once with the whole transcript.
 * `reconnect`: open a new connection, then resend the whole transcript.
 */
export type RetryKind = 'never' | 'backoff' | 'resend_full' | 'reconnect'

export interface ErrorClass {
  name: ErrorClassName
  retry: RetryKind
  /** A few words for a banner or a log line: "rate limited". */
  label: string
  /** What the person can do; null where there is nothing to do. */
  advice: string | null
  /** Error codes (OpenAI `code` or `type`) that mean this class. */
  codes: readonly string[]
}

export const ERROR_CLASSES: Readonly<Record<ErrorClassName, ErrorClass>> = {
  auth: {
    name: 'auth',
    retry: 'never',
    label: 'the API key was refused',
    advice: 'check the API key (and that it may use this project and model)',
    codes: ['invalid_api_key', 'authentication_error', 'invalid_authentication', 'permission_denied', 'unauthorized']
  },
  quota: {
    name: 'quota',
    retry: 'never',
    label: 'out of quota',
    advice: "check the account's plan, billing and spending limits",
    codes: ['insufficient_quota', 'billing_hard_limit_reached', 'billing_not_active', 'usage_limit_reached', 'quota_exceeded']
  },
  model_not_found: {
    name: 'model_not_found',
    retry: 'never',
    label: 'unknown model',
    advice: 'check the model name (--model) and that the key may use it',
    codes: ['model_not_found', 'unsupported_model']
  },
  context_too_long: {
    name: 'context_too_long',
    retry: 'never',
    label: 'the conversation is too long for the model',
    advice: 'start a new run, or use a model with a larger context window',
    codes: ['context_length_exceeded', 'string_above_max_length']
  },
  invalid_request: {
    name: 'invalid_request',
    retry: 'never',
    label: 'the server rejected the request',
    advice: 'the message says which setting it rejected (model, reasoning effort, tools)',
    codes: ['invalid_request_error', 'invalid_value', 'unsupported_parameter', 'invalid_prompt']
  },
  rate_limit: {
    name: 'rate_limit',
    retry: 'backoff',
    label: 'rate limited',
    advice: null,
    codes: ['rate_limit_exceeded', 'rate_limit_error', 'tokens_exceeded', 'requests_exceeded']
  },
  overloaded: {
    name: 'overloaded',
    retry: 'backoff',
    label: 'the server is overloaded',
    advice: null,
    codes: ['server_is_overloaded', 'engine_overloaded', 'overloaded_error', 'slow_down']
  },
  server: {
    name: 'server',
    retry: 'backoff',
    label: 'server error',
    advice: null,
    codes: ['server_error', 'internal_error', 'api_error', 'timeout', 'service_unavailable']
  },
  continuation_lost: {
    name: 'continuation_lost',
    retry: 'resend_full',
    label: 'the server no longer holds the previous response',
    advice: null,
    codes: ['previous_response_not_found']
  },
  connection_aged: {
    name: 'connection_aged',
    retry: 'reconnect',
    label: 'the connection reached its age limit',
    advice: null,
    codes: ['websocket_connection_limit_reached']
  }
}

/** What is known about a failure, from any transport. */
export interface ErrorFacts {
  /** HTTP status, or the `status` of a WebSocket `error` event; null for a mid-stream failure. */
  status: number | null
  code: string | null
  /** OpenAI's `error.type` (e.g. `insufficient_quota`, `invalid_request_error`). */
  type?: string | null
  message: string
}

const CLASS_BY_CODE: ReadonlyMap<string, ErrorClassName> = new Map(
  ERROR_CLASS_NAMES.flatMap((name) => ERROR_CLASSES[name].codes.map((code) => [code, name] as const))
)

/** xAI's `code` field: gRPC status descriptions. */
const GRPC_TEXTS: readonly [RegExp, ErrorClassName][] = [
  [/^The request does not have valid authentication credentials/i, 'auth'],
  [/^The caller does not have permission/i, 'auth'],
  [/^Some requested entity was not found/i, 'model_not_found'],
  [/^Some resource has been exhausted/i, 'rate_limit'],
  [/^The service is currently unavailable/i, 'overloaded'],
  [/^Internal error/i, 'server'],
  [/^The deadline expired/i, 'server']
]

/** Messages that name the problem better than a generic status (xAI sends a bad key as a 400). */
const MESSAGE_PATTERNS: readonly [RegExp, ErrorClassName][] = [
  [/incorrect api key|invalid api key|api key.*(invalid|not valid)|no api key provided/i, 'auth'],
  [/(does not have|no|run out of) (any )?(credits|licenses)|exceeded your current quota|spending limit|billing/i, 'quota'],
  [/model[^.]*(does not exist|not found|is not available|do not have access)/i, 'model_not_found'],
  [/context (length|window)|maximum context|too many tokens in the prompt|prompt is too long/i, 'context_too_long'],
  [/overloaded/i, 'overloaded']
]

function byPattern(patterns: readonly [RegExp, ErrorClassName][], text: string | null | undefined): ErrorClassName | null {
  if (!text) return null
  for (const [pattern, name] of patterns) if (pattern.test(text)) return name
  return null
}

function byStatus(status: number): ErrorClassName | null {
  if (status === 401 || status === 403) return 'auth'
  if (status === 404) return 'model_not_found'
  if (status === 429) return 'rate_limit'
  if (status === 503 || status === 529) return 'overloaded'
  if (status === 408 || status === 409 || status >= 500) return 'server'
  if (status >= 400) return 'invalid_request'
  return null
}

/**
 * The class of a failure. A known code wins (a 429 `insufficient_quota` is a quota problem, not
 * a rate limit), then what the message says, then an xAI status text, then the HTTP status. A failure
 * with none of these (a bare mid-stream `error`) is a server error.
 */
export function classifyError(facts: ErrorFacts): ErrorClassName {
  const known = CLASS_BY_CODE.get(facts.code ?? '') ?? CLASS_BY_CODE.get(facts.type ?? '') ?? null
  // A generic type says less than a status or the message does.
  if (known && known !== 'invalid_request') return known
  const fromText = byPattern(MESSAGE_PATTERNS, facts.message) ?? byPattern(GRPC_TEXTS, facts.code)
  if (fromText) return fromText
  if (facts.status !== null) return byStatus(facts.status) ?? known ?? 'server'
  return known ?? 'server'
}

export function errorClassOf(facts: ErrorFacts): ErrorClass {
  return ERROR_CLASSES[classifyError(facts)]
}

/** "insufficient_quota: You exceeded … (check the account's plan, billing and spending limits)". */
export function describeError(facts: ErrorFacts): string {
  const errorClass = errorClassOf(facts)
  const code = facts.code ?? facts.type ?? (facts.status !== null ? `HTTP ${facts.status}` : errorClass.name)
  const text = facts.message.length > 0 ? `${code}: ${facts.message}` : code
  return errorClass.advice === null ? text : `${text} (${errorClass.advice})`
}

/** "rate limited, retrying in 5 s": the banner counts it down; the terminal prints it once. */
export function retryNotice(name: ErrorClassName, delayMs: number): string {
  return `${ERROR_CLASSES[name].label}, retrying in ${Math.max(1, Math.ceil(delayMs / 1000))} s`
}
