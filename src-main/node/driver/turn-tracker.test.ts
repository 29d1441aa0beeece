import { describe, expect, it } from 'vitest'
import type { ServerEvent } from '../../common/protocol/wire'
import { TurnTracker } from './turn-tracker'

const response = (id: string, status: string) => ({ id, object: 'response', status, output: [] })
const created = (id: string) => ({ type: 'response.created', sequence_number: 0, response: response(id, 'in_progress') }) as unknown as ServerEvent
const completed = (id: string) => ({ type: 'response.completed', sequence_number: 5, response: response(id, 'completed') }) as unknown as ServerEvent
const incomplete = (id: string) =>
  ({ type: 'response.incomplete', sequence_number: 5, response: { ...response(id, 'incomplete'), incomplete_details: { reason: 'steered' } } }) as unknown as ServerEvent
const steer = (type: string) => ({ type, sequence_number: 3, steer: { id: 'steer_1', previous_response_id: 'resp_1' } }) as unknown as ServerEvent

function feed(events: ServerEvent[]) {
  const tracker = new TurnTracker()
  return events.map((event) => tracker.observe(event))
}

describe('TurnTracker', () => {
  it('ends a turn on the terminal event', () => {
    expect(feed([created('resp_1'), completed('resp_1')])).toEqual([null, { kind: 'terminal', event: completed('resp_1') }])
  })

  it('keeps the turn open through an accepted steer until the successor ends', () => {
    const ends = feed([created('resp_1'), steer('response.steer.accepted'), incomplete('resp_1'), created('resp_2'), completed('resp_2')])
    expect(ends).toEqual([null, null, null, null, { kind: 'terminal', event: completed('resp_2') }])
  })

  it('ends on steer.pending with the response that stopped for our tool output', () => {
    const ends = feed([created('resp_1'), steer('response.steer.accepted'), completed('resp_1'), steer('response.steer.pending')])
    expect(ends).toEqual([null, null, null, { kind: 'terminal', event: completed('resp_1') }])
  })

  it('ends a failed steer normally', () => {
    const ends = feed([created('resp_1'), steer('response.steer.failed'), completed('resp_1')])
    expect(ends).toEqual([null, null, { kind: 'terminal', event: completed('resp_1') }])
  })

  it('ends on errors of both shapes', () => {
    const nested = { type: 'error', status: 400, error: { type: 'invalid_request_error', code: 'previous_response_not_found', message: 'gone', param: 'previous_response_id' } } as unknown as ServerEvent
    const flat = { type: 'error', code: 'server_error', message: 'boom', param: null, sequence_number: 4 } as unknown as ServerEvent
    expect(feed([nested])).toEqual([
      { kind: 'error', error: { code: 'previous_response_not_found', type: 'invalid_request_error', message: 'gone', status: 400, param: 'previous_response_id', headers: null } }
    ])
    const tracker = new TurnTracker()
    expect([tracker.observe(created('resp_1')), tracker.observe(flat), tracker.pendingEnd]).toEqual([
      null,
      null,
      { kind: 'error', error: { code: 'server_error', type: null, message: 'boom', status: null, param: null, headers: null } }
    ])
  })

  it("waits for the response.failed that follows an error, and ends with the error's facts", () => {
    // As OpenAI streams it (vercel/ai, openai-error.1.chunks.txt): error, then response.failed.
    const quota = { type: 'error', sequence_number: 2, error: { type: 'insufficient_quota', code: 'insufficient_quota', message: 'You exceeded your current quota', param: null } } as unknown as ServerEvent
    const failed = { type: 'response.failed', sequence_number: 3, response: { ...response('resp_1', 'failed'), error: { code: 'insufficient_quota', message: 'You exceeded your current quota' } } } as unknown as ServerEvent
    const end = { kind: 'error', error: { code: 'insufficient_quota', type: 'insufficient_quota', message: 'You exceeded your current quota', status: null, param: null, headers: null } }
    expect(feed([created('resp_1'), quota, failed])).toEqual([null, null, end])
  })
})
