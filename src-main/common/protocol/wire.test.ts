import { describe, expect, it } from 'vitest'
import type { ErrorEvent } from './wire'
import { isKnownServerEventType, isNestedError, wireErrorOf } from './wire'

describe('wireErrorOf', () => {
  it('reads the nested shape of a refused request', () => {
    const nested: ErrorEvent = {
      type: 'error',
      status: 400,
      error: { type: 'invalid_request_error', code: 'previous_response_not_found', message: "Previous response with id 'resp_abc' not found.", param: 'previous_response_id' }
    }
    expect(isNestedError(nested)).toBe(true)
    expect(wireErrorOf(nested)).toEqual({
      code: 'previous_response_not_found',
      type: 'invalid_request_error',
      message: "Previous response with id 'resp_abc' not found.",
      status: 400,
      param: 'previous_response_id',
      headers: null
    })
  })

  it('reads the flat shape of a failure mid-stream', () => {
    const flat: ErrorEvent = { type: 'error', code: 'server_error', message: 'The model failed.', param: null, sequence_number: 7 }
    expect(isNestedError(flat)).toBe(false)
    expect(wireErrorOf(flat)).toEqual({ code: 'server_error', type: null, message: 'The model failed.', status: null, param: null, headers: null })
  })

  it('has no status when a nested error carries none', () => {
    const nested = { type: 'error', error: { type: 'rate_limit_error', code: null, message: 'Slow down.', param: null } } as ErrorEvent
    expect(wireErrorOf(nested)).toEqual({ code: null, type: 'rate_limit_error', message: 'Slow down.', status: null, param: null, headers: null })
  })

  it("keeps a rate-limit error's headers, nested (SDK types) or beside the status (Codex)", () => {
    const sdkShape = {
      type: 'error',
      status: 429,
      error: { type: 'rate_limit_error', code: 'rate_limit_exceeded', message: 'Rate limit reached.', param: null, headers: { 'retry-after-ms': '1500', 'x-ratelimit-reset-tokens': '2s' } }
    } as ErrorEvent
    const codexShape = {
      type: 'error',
      status: 429,
      error: { type: 'usage_limit_reached', code: null, message: 'The usage limit has been reached', param: null },
      headers: { 'retry-after': '7', 'x-codex-primary-used-percent': 100 }
    } as unknown as ErrorEvent
    expect([wireErrorOf(sdkShape).headers, wireErrorOf(codexShape).headers]).toEqual([
      { 'retry-after-ms': '1500', 'x-ratelimit-reset-tokens': '2s' },
      { 'retry-after': '7' }
    ])
  })
})

describe('isKnownServerEventType', () => {
  it('knows the SDK event types and nothing else', () => {
    expect(['response.completed', 'response.output_text.delta', 'error', 'response.steer.failed', 'response.mcp_call.failed'].map(isKnownServerEventType)).toEqual([
      true,
      true,
      true,
      true,
      true
    ])
    expect(['response.metadata', 'keepalive', 'codex.rate_limits', 'toString', 'constructor', ''].map(isKnownServerEventType)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false
    ])
  })
})
