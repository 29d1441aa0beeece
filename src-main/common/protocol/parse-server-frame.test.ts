import { describe, expect, it } from 'vitest'
import { requestError, ResponseStream, wireUsage } from '../../test-support/wire-events'
import { parseServerFrame, validateServerEvent } from './parse-server-frame'

describe('parseServerFrame', () => {
  it('accepts every event of realistic streams as sent', () => {
    const stream = new ResponseStream('resp_1')
      .created()
      .inProgress()
      .reasoning('rs_1', [['Plan', ' it.']], 'gAAAA')
      .functionCall('fc_1', 'call_1', 'get_weather', ['{"city":', '"Paris"}'])
      .message('msg_1', ['Cloudy.'])
      .refusal('msg_2', ['No.'])
      .completed(wireUsage(10, 20))
    const frames = [...stream.events, requestError(400, 'previous_response_not_found', 'Previous response not found.', 'previous_response_id')]
    const flat = new ResponseStream('resp_2').streamingError('server_error', 'Stream broke.').events
    for (const event of [...frames, ...flat]) {
      expect(parseServerFrame(JSON.stringify(event))).toEqual({ ok: true, event })
    }
  })

  it('passes unknown and vendor event types through for the reducer to ignore', () => {
    for (const event of [{ type: 'keepalive', sequence_number: 3 }, { type: 'codex.rate_limits', primary: {} }, { type: 'response.metadata' }]) {
      expect(parseServerFrame(JSON.stringify(event))).toEqual({ ok: true, event })
    }
  })

  it('turns a frame that is not JSON into a typed error with an excerpt', () => {
    expect(parseServerFrame('{"type":')).toEqual({
      ok: false,
      error: { code: 'malformed_json', message: 'frame is not JSON: Unexpected end of JSON input', excerpt: '{"type":' }
    })
  })

  it('rejects JSON that is not an event object', () => {
    for (const raw of ['[1,2]', '42', 'null', '"response.completed"']) {
      expect(parseServerFrame(raw)).toEqual({ ok: false, error: { code: 'not_an_object', message: 'frame is not a JSON object', excerpt: raw } })
    }
    for (const raw of ['{}', '{"type":""}', '{"type":7}']) {
      expect(parseServerFrame(raw)).toEqual({ ok: false, error: { code: 'missing_type', message: 'frame has no string "type"', excerpt: raw } })
    }
  })

  it('names the field that makes a known event invalid', () => {
    const noDelta = '{"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"sequence_number":4}'
    expect(parseServerFrame(noDelta)).toEqual({
      ok: false,
      error: { code: 'invalid_event', message: 'response.output_text.delta: delta: Invalid input: expected string, received undefined', excerpt: noDelta }
    })
    const noId = '{"type":"response.completed","sequence_number":9,"response":{"status":"completed"}}'
    expect(parseServerFrame(noId)).toMatchObject({ ok: false, error: { code: 'invalid_event', excerpt: noId } })
    const negativeIndex = '{"type":"response.output_item.added","output_index":-1,"item":{"type":"message"},"sequence_number":2}'
    expect(parseServerFrame(negativeIndex)).toMatchObject({ ok: false, error: { code: 'invalid_event' } })
    const shapeless = '{"type":"error","sequence_number":3}'
    expect(parseServerFrame(shapeless)).toMatchObject({ ok: false, error: { code: 'invalid_event' } })
  })

  it('keeps the excerpt of a huge frame short', () => {
    const raw = `{"type":"response.output_text.delta","delta":${'9'.repeat(5000)}}`
    const parsed = parseServerFrame(raw)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.error.excerpt).toBe(`${raw.slice(0, 300)}…`)
  })
})

describe('validateServerEvent', () => {
  it('validates an already-decoded value', () => {
    expect(validateServerEvent({ type: 'response.refusal.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'No', sequence_number: 1 }).ok).toBe(true)
    expect(validateServerEvent(undefined)).toEqual({ ok: false, error: { code: 'not_an_object', message: 'frame is not a JSON object', excerpt: 'undefined' } })
  })
})
