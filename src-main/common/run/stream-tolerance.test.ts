// What compatible servers send that the sim does not: the fold keeps one view of each item.
import { describe, expect, it } from 'vitest'
import type { ServerEvent } from '../protocol/wire'
import { runStarted, serverEvents, stamp } from '../../test-support/run-records'
import { ResponseStream, wireUsage } from '../../test-support/wire-events'
import { foldRecords } from './reduce'
import { summarize } from './summary'
import { transcriptOf } from './transcript'

const fold = (events: readonly ServerEvent[]) => foldRecords(stamp([runStarted(), ...serverEvents(events)]))
const event = (value: object) => value as unknown as ServerEvent

describe('stream tolerance', () => {
  it('places an output_item.done without output_index by its id', () => {
    const stream = new ResponseStream('resp_1').created().message('msg_1', ['Hel', 'lo'])
    const withoutIndex = stream.events.map((each) => {
      if (each.type !== 'response.output_item.done') return each
      const { output_index: _dropped, ...rest } = each
      return event(rest)
    })
    const state = fold([...withoutIndex, ...new ResponseStream('resp_1').completed(wireUsage(5, 2)).events.map((each) => event({ ...each, sequence_number: 99 }))])
    expect(summarize(state).output).toEqual([{ type: 'message', text: 'Hello', refusal: null, phase: null }])
    expect(Object.keys(state.items)).toEqual(['0:msg_1'])
  })

  it('shows a refusal as one, in the summary and the resend', () => {
    const stream = new ResponseStream('resp_1').created().refusal('msg_1', ["I can't ", 'help with that.']).completed(wireUsage(5, 4))
    const state = fold(stream.events)
    expect(summarize(state).output).toEqual([{ type: 'message', text: '', refusal: "I can't help with that.", phase: null }])
    expect(summarize(state).messages).toEqual([])
    expect(transcriptOf(state)).toEqual([
      { id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'refusal', refusal: "I can't help with that." }] }
    ])
  })

  it('keeps a hosted item it has never seen, by type and a readable summary', () => {
    const item = { id: 'ws_1', type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'tether retry-after' } }
    const future = { id: 'x_1', type: 'quantum_call', status: 'completed', qubits: 4, note: 'entangled' }
    const events = [
      event({ type: 'response.created', sequence_number: 0, response: { id: 'resp_1', object: 'response', status: 'in_progress', output: [] } }),
      event({ type: 'response.output_item.done', sequence_number: 1, output_index: 0, item }),
      event({ type: 'response.output_item.done', sequence_number: 2, output_index: 1, item: future }),
      event({ type: 'response.completed', sequence_number: 3, response: { id: 'resp_1', object: 'response', status: 'completed', output: [item, future] } })
    ]
    expect(summarize(fold(events)).output).toEqual([
      { type: 'web_search_call', summary: 'searched the web: tether retry-after' },
      { type: 'quantum_call', summary: 'qubits: 4, note: entangled' }
    ])
  })

  it('counts the usage once and reports one error, in either order of error and response.failed', () => {
    const usage = wireUsage(12, 3)
    const created = event({ type: 'response.created', sequence_number: 0, response: { id: 'resp_1', object: 'response', status: 'in_progress', output: [] } })
    const error = event({ type: 'error', sequence_number: 1, error: { type: 'server_error', code: 'server_error', message: 'Boom.', param: null } })
    const failed = event({ type: 'response.failed', sequence_number: 2, response: { id: 'resp_1', object: 'response', status: 'failed', output: [], usage, error: { code: 'server_error', message: 'Boom.' } } })
    for (const order of [[created, error, failed], [created, failed, { ...error, sequence_number: 3 } as ServerEvent]]) {
      const state = fold(order)
      expect({ usage: state.usage?.total_tokens, errors: state.errors.length, status: state.responses.map((response) => response.status), duplicates: state.duplicates }).toEqual({
        usage: 15,
        errors: 1,
        status: ['failed'],
        duplicates: 0
      })
    }
  })

  it('resends an assistant message with its phase', () => {
    const message = { id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', phase: 'commentary', content: [{ type: 'output_text', text: 'Looking.', annotations: [] }] }
    const events = [
      event({ type: 'response.created', sequence_number: 0, response: { id: 'resp_1', object: 'response', status: 'in_progress', output: [] } }),
      event({ type: 'response.completed', sequence_number: 1, response: { id: 'resp_1', object: 'response', status: 'completed', output: [message] } })
    ]
    expect(transcriptOf(fold(events))).toEqual([{ ...message, content: [{ type: 'output_text', text: 'Looking.', annotations: [] }] }])
  })
})
