// Each error class against a scripted server: how many requests the run makes, how long it waits
// between them, and what it says when it stops. Error bodies are real servers' (OpenAI's error
// codes guide, a recorded OpenAI stream, xAI's Responses error shape).
import { afterEach, describe, expect, it } from 'vitest'
import { startScriptedModelServer, completedEvents, type ScriptedAnswer, type ScriptedModelServer } from '../../test-support/scripted-model-server'
import { driverFixture, type DriverFixture } from '../../test-support/driver/driver-fixture'
import type { Transport } from '../../common/run/records'

const QUOTA = {
  error: {
    message: 'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
    type: 'insufficient_quota',
    param: null,
    code: 'insufficient_quota'
  }
}
const RATE_LIMIT = { error: { message: 'Rate limit reached for gpt-5.2 on tokens per min (TPM): Limit 30000, Used 30000, Requested 1200.', type: 'tokens', param: null, code: 'rate_limit_exceeded' } }
const SERVER_ERROR = { error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: 'server_error' } }
const BAD_KEY = { error: { message: 'Incorrect API key provided: sk-abc. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }
const NO_MODEL = { error: { message: 'The model `gpt-9` does not exist or you do not have access to it.', type: 'invalid_request_error', param: null, code: 'model_not_found' } }
const XAI_BAD_KEY = { code: 'Client specified an invalid argument', error: 'Incorrect API key provided: xa***Zb. You can obtain an API key from https://console.x.ai.' }

let fixture: DriverFixture | null = null
let server: ScriptedModelServer | null = null
afterEach(async () => {
  await server?.stop()
  await fixture?.cleanup()
  server = null
  fixture = null
})

async function run(transport: Transport, script: ScriptedAnswer[], recovery = {}, upgradeTakesAnswer = false) {
  server = await startScriptedModelServer(script, { upgradeTakesAnswer })
  fixture ??= await driverFixture({})
  const driver = await fixture.start('Say done.', {
    transport,
    provider: { name: 'custom', baseUrl: server.baseUrl, apiKey: 'test-key' },
    recovery: { maxAttempts: 3, backoff: { baseMs: 100, capMs: 800, random: () => 0 }, ...recovery }
  })
  const outcome = await driver.run()
  await driver.close()
  const times = server.requests.map((request) => request.at)
  const gaps = times.slice(1).map((at, index) => at - times[index]!)
  return { outcome, reason: driver.state.finishReason, requests: server.requests.length, gaps, state: driver.state, reload: () => fixture!.reload(driver) }
}

describe('permanent errors stop at once and say what to do', () => {
  it.each([
    ['sse', 429, QUOTA, /^insufficient_quota: HTTP 429: You exceeded your current quota.*\(check the account's plan, billing and spending limits\)$/],
    ['sse', 401, BAD_KEY, /^invalid_api_key: .*\(check the API key/],
    ['sse', 404, NO_MODEL, /^model_not_found: .*\(check the model name \(--model\)/],
    ['sse', 400, XAI_BAD_KEY, /^Client specified an invalid argument: HTTP 400: Incorrect API key provided.*\(check the API key/],
    ['ws', 429, QUOTA, /^insufficient_quota: You exceeded your current quota/]
  ] as const)('%s %i %#', async (transport, status, body, reason) => {
    const result = await run(transport, [{ kind: 'http', status, body }])
    expect({ outcome: result.outcome, requests: result.requests }).toEqual({ outcome: 'failed', requests: 1 })
    expect(result.reason).toMatch(reason)
  }, 30_000)

  it('fails an error the server says not to retry', async () => {
    const result = await run('sse', [{ kind: 'http', status: 503, headers: { 'x-should-retry': 'false' }, body: SERVER_ERROR }])
    expect({ outcome: result.outcome, requests: result.requests }).toEqual({ outcome: 'failed', requests: 1 })
    expect(result.reason).toMatch(/the server says not to retry/)
  }, 30_000)

  it('keeps the usage of a stream that ends in error then response.failed', async () => {
    // The order OpenAI streams an out-of-quota response in (vercel/ai, openai-error.1.chunks.txt).
    const usage = { input_tokens: 7, input_tokens_details: { cached_tokens: 0 }, output_tokens: 0, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 7 }
    const events = [
      { type: 'response.created', sequence_number: 0, response: { id: 'resp_q', object: 'response', status: 'in_progress', output: [] } },
      { type: 'error', sequence_number: 1, error: QUOTA.error },
      { type: 'response.failed', sequence_number: 2, response: { id: 'resp_q', object: 'response', status: 'failed', output: [], error: { code: 'insufficient_quota', message: QUOTA.error.message }, usage } }
    ]
    for (const transport of ['ws', 'sse'] as const) {
      const result = await run(transport, [{ kind: 'events', events }])
      expect({ outcome: result.outcome, requests: result.requests, usage: result.state.usage, errors: result.state.errors.length }).toEqual({
        outcome: 'failed',
        requests: 1,
        usage,
        errors: 1
      })
      expect(result.reason).toMatch(/^insufficient_quota: /)
      await server?.stop()
      server = null
    }
  }, 30_000)
})

describe('a refused WebSocket upgrade', () => {
  it('stops at once for a refused key or an empty account, whatever the transport', async () => {
    for (const [status, body, code] of [
      [429, QUOTA, 'insufficient_quota'],
      [401, BAD_KEY, 'invalid_api_key']
    ] as const) {
      const result = await run('ws', [{ kind: 'http', status, body }], {}, true)
      expect({ outcome: result.outcome, requests: server!.requests.map((request) => request.transport) }).toEqual({ outcome: 'failed', requests: ['upgrade'] })
      expect(result.reason?.startsWith(`${code}: `)).toBe(true)
      await server!.stop()
      server = null
    }
  }, 30_000)

  it('falls back to HTTP + SSE when the server keeps refusing the upgrade with a 404', async () => {
    const refusal = { kind: 'http', status: 404, body: { error: { message: 'Invalid URL (GET /v1/responses)', type: 'invalid_request_error', param: null, code: null } } } as const
    const result = await run('ws', [refusal, refusal, refusal, { kind: 'ok', text: 'done' }], {}, true)
    expect({ outcome: result.outcome, requests: server!.requests.map((request) => request.transport), fellBack: result.state.transport.fellBack }).toEqual({
      outcome: 'completed',
      requests: ['upgrade', 'upgrade', 'upgrade', 'sse'],
      fellBack: true
    })
  }, 30_000)
})

describe('transient errors retry when the server says, or with capped backoff', () => {
  it('waits retry-after-ms over retry-after (HTTP)', async () => {
    const result = await run('sse', [{ kind: 'http', status: 429, headers: { 'retry-after-ms': '600', 'retry-after': '30' }, body: RATE_LIMIT }, { kind: 'ok', text: 'done' }])
    expect({ outcome: result.outcome, requests: result.requests }).toEqual({ outcome: 'completed', requests: 2 })
    expect(result.gaps[0]).toBeGreaterThanOrEqual(600)
    expect(result.gaps[0]).toBeLessThan(25_000)
    const retry = (await result.reload()).retry
    expect(retry).toBeNull()
  }, 30_000)

  it("honours the headers of a WebSocket error event", async () => {
    const result = await run('ws', [
      { kind: 'http', status: 429, headers: { 'retry-after': '1' }, body: RATE_LIMIT },
      { kind: 'http', status: 429, headers: { 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '0.4s' }, body: RATE_LIMIT },
      { kind: 'ok', text: 'done' }
    ])
    expect({ outcome: result.outcome, requests: result.requests }).toEqual({ outcome: 'completed', requests: 3 })
    expect(result.gaps[0]).toBeGreaterThanOrEqual(1000)
    expect(result.gaps[1]).toBeGreaterThanOrEqual(400)
  }, 30_000)

  it('backs off exponentially without headers and gives up after the last attempt', async () => {
    const answer = { kind: 'http', status: 500, body: SERVER_ERROR } as const
    const result = await run('sse', [answer, answer, answer, answer])
    expect({ outcome: result.outcome, requests: result.requests }).toEqual({ outcome: 'failed', requests: 4 })
    expect(result.reason).toMatch(/^gave up after 3 retries: server_error: /)
    // 100, 200, 400 ms (random 0 takes nothing off).
    result.gaps.forEach((gap, index) => expect(gap).toBeGreaterThanOrEqual(100 * 2 ** index))
    const scheduled = (await result.reload()).errors
    expect(scheduled.length).toBe(4)
  }, 30_000)

  it('stops at once when the server asks for a longer wait than a run should sit through', async () => {
    const result = await run('sse', [{ kind: 'http', status: 429, headers: { 'retry-after': '120' }, body: RATE_LIMIT }])
    expect({ outcome: result.outcome, requests: result.requests }).toEqual({ outcome: 'failed', requests: 1 })
    expect(result.reason).toMatch(/the server asks to wait 120 s; resume the run later$/)
  }, 30_000)

  it('records the wait so the banner can count it down', async () => {
    server = await startScriptedModelServer([{ kind: 'http', status: 503, headers: { 'retry-after-ms': '300' }, body: SERVER_ERROR }, { kind: 'events', events: completedEvents('done') }])
    fixture = await driverFixture({})
    const driver = await fixture.start('Say done.', { transport: 'sse', provider: { name: 'custom', baseUrl: server.baseUrl, apiKey: 'k' } })
    const seen: unknown[] = []
    driver.subscribe((record, state) => {
      if (record.type === 'retry.scheduled') seen.push({ record: { ...record, seq: 0, ts: 0 }, retryAt: state.retry ? state.retry.retryAt - record.ts : null })
    })
    expect(await driver.run()).toBe('completed')
    await driver.close()
    expect(seen).toEqual([
      {
        record: { v: 1, seq: 0, ts: 0, type: 'retry.scheduled', turn: 1, errorClass: 'server', code: 'server_error', message: 'HTTP 503: The server had an error while processing your request. Sorry about that!', delayMs: 300, serverDelay: true, attempt: 1, maxAttempts: 6 },
        retryAt: 300
      }
    ])
    expect(driver.state.retry).toBeNull()
  }, 30_000)
})
