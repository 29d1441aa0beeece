import { describe, expect, it } from 'vitest'
import { classifyError, describeError, ERROR_CLASS_NAMES, ERROR_CLASSES } from './error-classes'

describe('classifyError', () => {
  it('names the class of every documented OpenAI answer', () => {
    const answers = [
      { status: 401, code: 'invalid_api_key', type: 'invalid_request_error', message: 'Incorrect API key provided: sk-abc.' },
      { status: 429, code: 'insufficient_quota', type: 'insufficient_quota', message: 'You exceeded your current quota, please check your plan and billing details.' },
      // A real HTTP stream (vercel/ai openai-error.1.chunks.txt): the error event has no status.
      { status: null, code: 'insufficient_quota', type: 'insufficient_quota', message: 'You exceeded your current quota' },
      { status: 404, code: 'model_not_found', type: 'invalid_request_error', message: 'The model `gpt-9` does not exist or you do not have access to it.' },
      { status: 400, code: 'context_length_exceeded', type: 'invalid_request_error', message: 'Your input exceeds the context window of this model.' },
      { status: 400, code: null, type: 'invalid_request_error', message: "Unsupported value: 'reasoning.effort' does not support 'minimal' with this model." },
      { status: 429, code: 'rate_limit_exceeded', type: 'requests', message: 'Rate limit reached for gpt-5.2 on requests per min (RPM): Limit 3.' },
      { status: 503, code: null, type: null, message: 'The server is overloaded or not ready yet.' },
      { status: 500, code: 'server_error', type: 'server_error', message: 'The server had an error while processing your request.' },
      { status: null, code: null, message: 'An error occurred while processing your request.' },
      { status: 400, code: 'previous_response_not_found', type: 'invalid_request_error', message: "Previous response with id 'resp_1' not found." },
      { status: 400, code: 'websocket_connection_limit_reached', message: 'Responses websocket connection limit reached (60 minutes).' }
    ]
    expect(answers.map(classifyError)).toEqual([
      'auth',
      'quota',
      'quota',
      'model_not_found',
      'context_too_long',
      'invalid_request',
      'rate_limit',
      'overloaded',
      'server',
      'server',
      'continuation_lost',
      'connection_aged'
    ])
  })

  it("reads xAI's gRPC status texts and messages", () => {
    const answers = [
      { status: 400, code: 'Client specified an invalid argument', message: 'Incorrect API key provided: xa***Zb. You can obtain an API key from https://console.x.ai.' },
      { status: 403, code: 'The caller does not have permission to execute the specified operation', message: 'Your team does not have any credits or licenses.' },
      { status: 404, code: 'Some requested entity was not found', message: 'The model grok-9 does not exist or your team does not have access to it.' },
      { status: 429, code: 'Some resource has been exhausted', message: 'Too many requests' },
      { status: 400, code: 'Client specified an invalid argument', message: 'Invalid request content: Each message must have at least one content element.' },
      { status: 503, code: 'The service is currently unavailable', message: 'try again' }
    ]
    expect(answers.map(classifyError)).toEqual(['auth', 'quota', 'model_not_found', 'rate_limit', 'invalid_request', 'overloaded'])
  })

  it('falls back to the HTTP status, and a known code beats it', () => {
    expect([401, 403, 404, 408, 409, 418, 429, 500, 502, 503, 529].map((status) => classifyError({ status, code: null, message: '' }))).toEqual([
      'auth',
      'auth',
      'model_not_found',
      'server',
      'server',
      'invalid_request',
      'rate_limit',
      'server',
      'server',
      'overloaded',
      'overloaded'
    ])
    expect(classifyError({ status: 500, code: 'insufficient_quota', message: '' })).toBe('quota')
  })

  it('maps every listed code back to its own class', () => {
    for (const name of ERROR_CLASS_NAMES) {
      for (const code of ERROR_CLASSES[name].codes) expect(classifyError({ status: null, code, message: '' })).toBe(name)
    }
  })
})

describe('describeError', () => {
  it('names the code and says what to do', () => {
    expect(describeError({ status: 429, code: 'insufficient_quota', message: 'You exceeded your current quota.' })).toBe(
      "insufficient_quota: You exceeded your current quota. (check the account's plan, billing and spending limits)"
    )
    expect(describeError({ status: 503, code: null, message: '' })).toBe('HTTP 503')
  })
})
