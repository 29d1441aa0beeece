import { describe, expect, it } from 'vitest'
import { requestSent, runStarted, serverEvents, stamp, userTask } from '../../test-support/run-records'
import { ResponseStream, wireUsage } from '../../test-support/wire-events'
import { foldRecords } from './reduce'
import { withoutRequestEcho } from './request-echo'

describe('withoutRequestEcho', () => {
  // Its lifecycle events repeat the request's tools and instructions, as the API's do.
  const stream = new ResponseStream('resp_1').created().inProgress().message('msg_1', ['Sunny ', 'today.']).completed(wireUsage(40, 5))

  it('leaves out the tools and instructions a response repeats, and keeps the rest as it arrived', () => {
    const created = stream.events[0]!
    const { tools: _tools, instructions: _instructions, ...rest } = (created as unknown as { response: Record<string, unknown> }).response
    expect(_tools).toBeDefined()
    const kept = withoutRequestEcho(created)
    expect(kept).toEqual({ ...created, response: rest })
    expect(JSON.stringify(kept).length).toBeLessThan(JSON.stringify(created).length)
    const delta = stream.events.find((event) => event.type === 'response.output_text.delta')!
    expect(withoutRequestEcho(delta)).toBe(delta)
  })

  it('folds to the same state with or without the echo', () => {
    const head = [runStarted(), { type: 'user.input' as const, kind: 'task' as const, text: 'Weather?' }, requestSent(1, [userTask('Weather?')])]
    const full = foldRecords(stamp([...head, ...serverEvents(stream.events)]))
    const compact = foldRecords(stamp([...head, ...serverEvents(stream.events.map(withoutRequestEcho))]))
    expect(compact).toStrictEqual(full)
  })
})
