import { describe, expect, it } from 'vitest'
import { METHOD_NAMES, isMethodName } from './contract'
import { parseParams } from './schemas'

const RUN = 'run_20260101T000000Z_abc123'

describe('the API contract', () => {
  it('lists every method once and knows nothing else', () => {
    expect(new Set(METHOD_NAMES).size).toBe(METHOD_NAMES.length)
    expect(METHOD_NAMES).toContain('decideApproval')
    expect(isMethodName('subscribeRun')).toBe(true)
    expect(isMethodName('toString')).toBe(false)
    expect(isMethodName('__proto__')).toBe(false)
    expect(isMethodName(42)).toBe(false)
  })
})

describe('request validation', () => {
  it('accepts well-formed params as they are', () => {
    expect(parseParams('decideApproval', { runId: RUN, callId: 'call_1', decision: 'deny', scope: 'once', message: 'not now' })).toEqual({
      ok: true,
      params: { runId: RUN, callId: 'call_1', decision: 'deny', scope: 'once', message: 'not now' }
    })
    expect(parseParams('getAppInfo', null)).toEqual({ ok: true, params: null })
    expect(parseParams('updateSettings', { baseUrl: 'http://127.0.0.1:4010/v1', networkAllowlist: ['registry.npmjs.org', '*.github.com'] })).toEqual({
      ok: true,
      params: { baseUrl: 'http://127.0.0.1:4010/v1', networkAllowlist: ['registry.npmjs.org', '*.github.com'] }
    })
  })

  it('rejects extra fields, wrong types and malformed ids with the path of each problem', () => {
    expect(parseParams('steer', { runId: RUN, text: 'go on', extra: 1 })).toEqual({ ok: false, message: 'params: Unrecognized key: "extra"' })
    expect(parseParams('steer', { runId: '../../etc/passwd', text: '' })).toEqual({
      ok: false,
      message: 'runId: not a run id; text: Too small: expected string to have >=1 characters'
    })
    expect(parseParams('getAppInfo', { anything: true })).toEqual({ ok: false, message: 'params: Invalid input: expected null, received object' })
  })

  it('keeps settings to what a run can use', () => {
    expect(parseParams('updateSettings', { baseUrl: 'file:///etc/passwd' }).ok).toBe(false)
    expect(parseParams('updateSettings', { approvalMode: 'yolo' }).ok).toBe(false)
    expect(parseParams('updateSettings', { networkAllowlist: ['evil.example/path'] }).ok).toBe(false)
    expect(parseParams('setApiKey', { provider: 'openai', key: 'sk-with space' }).ok).toBe(false)
    expect(parseParams('openRepo', { path: '/tmp/a\0b' }).ok).toBe(false)
  })
})
