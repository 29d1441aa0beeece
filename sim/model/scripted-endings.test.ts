import { afterEach, describe, expect, it } from 'vitest'
import { startSim, type SimServer } from '../index'
import type { Scenario } from '../scenarios/scenario-schema'
import { grammarProblems } from '../test-support/grammar'
import { RawClient, responseOf, type Frame } from '../test-support/raw-client'
import { CREATE } from '../test-support/text-scenario'

let sim: SimServer | null = null
let ws: RawClient | null = null
afterEach(async () => {
  ws?.close()
  await sim?.stop()
  sim = ws = null
})

async function open(scenario: Scenario): Promise<RawClient> {
  sim = await startSim({ scenario })
  ws = await RawClient.connect(sim.baseUrl)
  return ws
}

async function turn(client: RawClient, body: Record<string, unknown>): Promise<Frame[]> {
  const from = client.received.length
  client.send({ ...CREATE, ...body })
  return client.turn(from)
}

const TWO_CALLS: Scenario = {
  name: 'two-calls',
  turns: [
    {
      output: [
        { type: 'message', text: 'Reading both.' },
        { type: 'function_call', name: 'read_file', arguments: { path: 'a', start_line: null, end_line: null } },
        { type: 'function_call', name: 'read_file', arguments: { path: 'b', start_line: null, end_line: null } }
      ]
    },
    { output: [{ type: 'message', text: 'Done.' }] }
  ]
}

describe('scripted turns', () => {
  it('plays incomplete and failed endings the first time only, so a retry succeeds', async () => {
    const client = await open({
      name: 'endings',
      turns: [
        { output: [{ type: 'message', text: 'one two three four five six' }], end: { status: 'incomplete', reason: 'max_output_tokens' } },
        { output: [{ type: 'message', text: 'unused' }] }
      ]
    })
    const cut = await turn(client, { input: 'go' })
    expect(grammarProblems(cut)).toEqual([])
    expect(cut.at(-1)!.response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } })
    expect(responseOf(cut.at(-1)!).output).toEqual([
      { id: expect.any(String), type: 'message', role: 'assistant', status: 'incomplete', content: [{ type: 'output_text', text: 'one two three', annotations: [], logprobs: [] }] }
    ])
    const retry = await turn(client, { input: 'go' })
    expect(responseOf(retry.at(-1)!).status).toBe('completed')

    sim!.configure({ scenario: { name: 'failing', turns: [{ output: [{ type: 'message', text: 'hello' }], end: { status: 'failed', code: 'rate_limit_exceeded', message: 'Slow down.', times: 2 } }] } })
    const failures = [await turn(client, { input: 'go' }), await turn(client, { input: 'go' }), await turn(client, { input: 'go' })]
    expect(failures.map((frames) => [frames.at(-1)!.type, (frames.at(-1)!.response as { error: unknown }).error])).toEqual([
      ['response.failed', { code: 'rate_limit_exceeded', message: 'Slow down.' }],
      ['response.failed', { code: 'rate_limit_exceeded', message: 'Slow down.' }],
      ['response.completed', null]
    ])
  })

  it('streams refusals with refusal events and parts', async () => {
    const client = await open({ name: 'refusal', turns: [{ output: [{ type: 'refusal', text: 'I can not help with that.' }] }] })
    const frames = await turn(client, { input: 'go' })
    expect(grammarProblems(frames)).toEqual([])
    expect(frames.map((frame) => frame.type)).toContain('response.refusal.delta')
    expect(responseOf(frames.at(-1)!).output[0]!.content).toEqual([{ type: 'refusal', refusal: 'I can not help with that.' }])
  })

  it('emits one call per response with parallel_tool_calls:false and continues the same turn', async () => {
    const client = await open(TWO_CALLS)
    const first = responseOf((await turn(client, { input: 'go', parallel_tool_calls: false })).at(-1)!)
    expect(first.output.map((item) => [item.type, item.arguments])).toEqual([
      ['message', undefined],
      ['function_call', '{"path":"a","start_line":null,"end_line":null}']
    ])
    const callA = first.output[1] as { call_id: string }
    const second = responseOf((await turn(client, { previous_response_id: first.id, parallel_tool_calls: false, input: [{ type: 'function_call_output', call_id: callA.call_id, output: 'A' }] })).at(-1)!)
    expect(second.output.map((item) => [item.type, item.arguments])).toEqual([['function_call', '{"path":"b","start_line":null,"end_line":null}']])
    const callB = second.output[0] as { call_id: string }
    const third = responseOf((await turn(client, { previous_response_id: second.id, input: [{ type: 'function_call_output', call_id: callB.call_id, output: 'B' }] })).at(-1)!)
    expect(third.output.map((item) => item.content)).toEqual([[{ type: 'output_text', text: 'Done.', annotations: [], logprobs: [] }]])
  })

  it('answers without calls when tool_choice is none', async () => {
    const client = await open(TWO_CALLS)
    const response = responseOf((await turn(client, { input: 'go', tool_choice: 'none' })).at(-1)!)
    expect(response.output.map((item) => item.type)).toEqual(['message'])
  })

  it('answers the epilogue once the script is exhausted, and never repeats call ids', async () => {
    const client = await open({ ...TWO_CALLS, epilogue: 'Nothing else.' })
    const ids = new Set<string>()
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = responseOf((await turn(client, { input: 'go' })).at(-1)!)
      for (const item of response.output) if (item.type === 'function_call') ids.add(String(item.call_id))
    }
    expect(ids.size).toBe(6)
    const call = (id: string, path: string): object => ({ type: 'function_call', call_id: id, name: 'read_file', arguments: JSON.stringify({ path, start_line: null, end_line: null }) })
    const transcript = [
      { role: 'user', content: 'go' },
      call('call_a', 'a'),
      call('call_b', 'b'),
      { type: 'function_call_output', call_id: 'call_a', output: 'A' },
      { type: 'function_call_output', call_id: 'call_b', output: 'B' }
    ]
    const last = responseOf((await turn(client, { input: transcript })).at(-1)!)
    expect(last.output[0]!.content).toEqual([{ type: 'output_text', text: 'Done.', annotations: [], logprobs: [] }])
    const exhausted = await turn(client, { input: [...transcript, { role: 'assistant', content: 'Done.' }, { role: 'user', content: 'And then?' }] })
    expect(responseOf(exhausted.at(-1)!).output[0]!.content).toEqual([{ type: 'output_text', text: 'Nothing else.', annotations: [], logprobs: [] }])
    expect(sim!.responses.slice(-2).map((entry) => entry.turn)).toEqual([1, 'epilogue'])
  })
})
