import { describe, expect, it } from 'vitest'
import { classifyError } from '../../common/providers/error-classes'
import { refusalFromBody } from './refusal'

describe('refusalFromBody', () => {
  it("reads OpenAI's and xAI's error bodies, and quotes the start of any other", () => {
    expect(refusalFromBody(401, '{"error":{"type":"invalid_request_error","code":"invalid_api_key","message":"Incorrect API key provided."}}')).toEqual({
      kind: 'refused',
      status: 401,
      code: 'invalid_api_key',
      type: 'invalid_request_error',
      message: 'HTTP 401: Incorrect API key provided.',
      headers: null
    })
    expect(refusalFromBody(400, '{"code":"Client specified an invalid argument","error":"Model not found: grok-9"}')).toEqual({
      kind: 'refused',
      status: 400,
      code: 'Client specified an invalid argument',
      type: null,
      message: 'HTTP 400: Model not found: grok-9',
      headers: null
    })
    expect(refusalFromBody(502, `<html>${'x'.repeat(300)}</html>`).message).toBe(`HTTP 502: <html>${'x'.repeat(194)}`)
    expect(refusalFromBody(503, '  ').message).toBe('HTTP 503')
  })

  it('still finds the code of a JSON body cut short, so a spent quota is not retried as a rate limit', () => {
    // Cut before the message says anything a pattern could read.
    const cut = `{"error":{"type":"insufficient_quota","code":"insufficient_quota","message":"${'Y'.repeat(300)}`
    const refused = refusalFromBody(429, cut)
    expect(refused).toEqual({ kind: 'refused', status: 429, code: 'insufficient_quota', type: 'insufficient_quota', message: `HTTP 429: ${cut.slice(0, 200)}`, headers: null })
    expect(classifyError(refused)).toBe('quota')
  })

  it('unescapes what it finds in a body cut short, and finds nothing in a body that is not an object', () => {
    expect(refusalFromBody(400, '{"error":{"message":"a \\"quoted\\" word","code":"bad_request","param":"inp').message).toBe('HTTP 400: a "quoted" word')
    expect(refusalFromBody(400, '["code": "x"').code).toBeNull()
  })
})
