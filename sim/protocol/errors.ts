// The errors the server answers with, in the real API's words where they are known. One value
// renders three ways: an HTTP error body, a nested WebSocket `error` event (request rejected) and a
// flat streaming `error` event (failure after the response started).
export interface ApiError {
  status: number
  type: 'invalid_request_error' | 'server_error' | 'rate_limit_error' | 'authentication_error' | 'insufficient_quota'
  code: string | null
  message: string
  param: string | null
  /** Response headers that go with it: HTTP headers, or `error.headers` of a WebSocket `error` event. */
  headers?: Record<string, string>
}

export interface NestedErrorFrame {
  type: 'error'
  status: number
  error: { type: string; code: string | null; message: string; param: string | null; headers?: Record<string, string> }
  stream_id?: string
}

export interface FlatErrorFrame {
  type: 'error'
  code: string | null
  message: string
  param: string | null
  sequence_number: number
  stream_id?: string
}

export function nestedErrorFrame(error: ApiError, streamId?: string): NestedErrorFrame {
  const frame: NestedErrorFrame = {
    type: 'error',
    status: error.status,
    error: { type: error.type, code: error.code, message: error.message, param: error.param, ...(error.headers ? { headers: error.headers } : {}) }
  }
  if (streamId !== undefined) frame.stream_id = streamId
  return frame
}

export function flatErrorFrame(error: ApiError, sequenceNumber: number, streamId?: string): FlatErrorFrame {
  const frame: FlatErrorFrame = { type: 'error', code: error.code, message: error.message, param: error.param, sequence_number: sequenceNumber }
  if (streamId !== undefined) frame.stream_id = streamId
  return frame
}

/** xAI's `code` field is the gRPC status description of the HTTP status (vercel/ai, packages/xai/src/xai-error.test.ts). */
const XAI_CODES: Record<number, string> = {
  400: 'Client specified an invalid argument',
  401: 'The request does not have valid authentication credentials for the operation',
  403: 'The caller does not have permission to execute the specified operation',
  404: 'Some requested entity was not found',
  429: 'Some resource has been exhausted',
  500: 'Internal error',
  503: 'The service is currently unavailable'
}

export type HttpErrorBody = { error: { message: string; type: string; param: string | null; code: string | null } } | { code: string; error: string }

/** OpenAI's `{ error: { … } }`, or xAI's `{ code, error }`. */
export function httpErrorBody(error: ApiError, dialect: 'openai' | 'xai' = 'openai'): HttpErrorBody {
  if (dialect === 'xai') return { code: XAI_CODES[error.status] ?? XAI_CODES[500]!, error: error.message }
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } }
}

function invalid(message: string, param: string | null, code: string | null): ApiError {
  return { status: 400, type: 'invalid_request_error', code, message, param }
}

export const errors = {
  invalid,
  missingParameter: (param: string): ApiError => invalid(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter'),
  unknownParameter: (param: string): ApiError => invalid(`Unknown parameter: '${param}'.`, param, 'unknown_parameter'),
  invalidType: (param: string, expected: string, value: unknown): ApiError =>
    invalid(`Invalid type for '${param}': expected ${expected}, but got ${describeType(value)} instead.`, param, 'invalid_type'),
  invalidValue: (param: string, value: unknown, supported: readonly string[]): ApiError =>
    invalid(
      `Invalid value: '${String(value)}'. Supported values are: ${supported.map((entry) => `'${entry}'`).join(', ')}.`,
      param,
      'invalid_value'
    ),
  malformedJsonBody: (): ApiError =>
    invalid(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
      null,
      null
    ),
  malformedFrame: (detail: string): ApiError => invalid(`Invalid client event: ${detail}`, null, 'invalid_json'),
  contextLengthExceeded: (tokens: number, window: number): ApiError =>
    invalid(
      `Your input exceeds the context window of this model (${tokens} tokens of ${window}). Please adjust your input and try again.`,
      'input',
      'context_length_exceeded'
    ),
  previousResponseNotFound: (id: string): ApiError =>
    invalid(`Previous response with id '${id}' not found.`, 'previous_response_id', 'previous_response_not_found'),
  responseNotFound: (id: string): ApiError => ({ status: 404, type: 'invalid_request_error', code: null, message: `Response with id '${id}' not found.`, param: null }),
  // xAI's create-response reference: `instructions` "Cannot be used with previous_response_id".
  instructionsWithContinuation: (): ApiError => invalid('Invalid request: instructions cannot be used together with previous_response_id.', 'instructions', null),
  conflictingContinuation: (): ApiError =>
    invalid("Mutually exclusive parameters: Ensure you are only providing one of: 'previous_response_id' or 'conversation'.", 'previous_response_id', 'mutually_exclusive_parameters'),
  backgroundOverWebSocket: (): ApiError => invalid('Background responses are not supported over WebSocket.', 'background', 'unsupported_parameter'),
  invalidStreamId: (): ApiError =>
    invalid("Invalid 'stream_id': must be 1 to 256 characters of letters, digits, '_', '-' or '.'.", 'stream_id', 'invalid_stream_id'),
  streamLimitReached: (limit: number): ApiError =>
    invalid(`This connection has reached the maximum number of distinct stream IDs (${limit}). Reuse an existing stream ID or open a new websocket connection.`, 'stream_id', 'websocket_stream_limit_reached'),
  connectionLimitReached: (ageLimitMs: number): ApiError =>
    invalid(
      `Responses websocket connection limit reached (${formatMinutes(ageLimitMs)}). Create a new websocket connection to continue.`,
      null,
      'websocket_connection_limit_reached'
    ),
  noToolOutput: (callId: string): ApiError => invalid(`No tool output found for function call ${callId}.`, 'input', null),
  noToolCall: (callId: string): ApiError => invalid(`No tool call found for function call output with call_id ${callId}.`, 'input', null),
  itemNotPersisted: (id: string): ApiError =>
    invalid(
      `Item with id '${id}' not found. Items are not persisted when \`store\` is set to false. Try again with \`store\` set to true, or remove this item from your input.`,
      'input',
      null
    ),
  invalidEncryptedContent: (id: string): ApiError =>
    invalid(`The encrypted content for item ${id} could not be verified.`, 'input', 'invalid_encrypted_content'),
  serverError: (): ApiError => ({
    status: 500,
    type: 'server_error',
    code: 'server_error',
    message: 'The server had an error while processing your request. Sorry about that!',
    param: null
  }),
  // The headers OpenAI sends with a 429 (https://platform.openai.com/docs/guides/rate-limits), over
  // HTTP and, in the WebSocket `error` event, as `error.headers`.
  rateLimited: (retryAfterSeconds: number): ApiError => ({
    status: 429,
    type: 'rate_limit_error',
    code: 'rate_limit_exceeded',
    message: `Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in ${retryAfterSeconds}s.`,
    param: null,
    headers: {
      'retry-after': String(Math.ceil(retryAfterSeconds)),
      'retry-after-ms': String(Math.round(retryAfterSeconds * 1000)),
      'x-ratelimit-limit-requests': '3',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': `${retryAfterSeconds}s`
    }
  }),
  // OpenAI's words for an account without credit (a recorded stream: sim/recorded/openai-error.jsonl).
  insufficientQuota: (): ApiError => ({
    status: 429,
    type: 'insufficient_quota',
    code: 'insufficient_quota',
    message: 'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
    param: null
  }),
  missingApiKey: (): ApiError => ({
    status: 401,
    type: 'invalid_request_error',
    code: null,
    message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    param: null
  }),
  incorrectApiKey: (): ApiError => ({
    status: 401,
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    message: 'Incorrect API key provided.',
    param: null
  }),
  invalidUrl: (method: string, path: string): ApiError => ({
    status: 404,
    type: 'invalid_request_error',
    code: null,
    message: `Invalid URL (${method} ${path})`,
    param: null
  })
}

function formatMinutes(ms: number): string {
  const minutes = ms / 60_000
  if (Number.isInteger(minutes)) return `${minutes} minutes`
  return ms >= 1000 ? `${Math.round(ms / 1000)} seconds` : `${ms} ms`
}

function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  switch (typeof value) {
    case 'string':
      return 'a string'
    case 'number':
      return Number.isInteger(value) ? 'an integer' : 'a decimal'
    case 'boolean':
      return 'a boolean'
    case 'object':
      return 'an object'
    default:
      return typeof value
  }
}
