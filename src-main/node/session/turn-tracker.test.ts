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
    expect(feed([nested])).toEqual([{ kind: 'error', error: { code: 'previous_response_not_found', message: 'gone', status: 400, param: 'previous_response_id' } }])
    expect(feed([created('resp_1'), flat])).toEqual([null, { kind: 'error', error: { code: 'server_error', message: 'boom', status: null, param: null } }])
  })
})
