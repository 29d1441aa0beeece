import { afterEach, describe, expect, it } from 'vitest'
import { startSim, type SimServer } from '../index'
import type { Scenario } from '../scenarios/scenario-schema'
import { grammarProblems } from '../test-support/grammar'
import { RawClient, responseOf, type Frame } from '../test-support/raw-client'
import { CREATE } from '../test-support/text-scenario'
import { TOOL_LOOP } from '../test-support/tool-loop-scenario'

let sim: SimServer | null = null
let ws: RawClient | null = null
afterEach(async () => {
  ws?.close()
  await sim?.stop()
  sim = ws = null
})

const SLOW_TEXT: Scenario = {
  name: 'slow-text',
  timing: { tokenIntervalMs: 2, tokensPerDelta: 1 },
  turns: [{ output: [{ type: 'message', fillerTokens: 250 }] }, { output: [{ type: 'message', text: 'Short and to the point.' }] }]
}

async function open(scenario: Scenario): Promise<RawClient> {
  sim = await startSim({ scenario })
  ws = await RawClient.connect(sim.baseUrl)
  return ws
}

const steerFailure = (frame: Frame): unknown => [frame.type, (frame.error as { code: string }).code]

describe('response.steer', () => {
  it('ends the active response incomplete/steered and starts a successor on the same lane', async () => {
    const client = await open(SLOW_TEXT)
    client.send({ ...CREATE, input: 'Write a lot.', stream_id: 'main' })
    const created = (await client.until((frame) => frame.type === 'response.created')).at(-1)
    const steered = responseOf(created!).id
    await client.until((frame) => frame.type === 'response.output_text.delta')
    client.send({ type: 'response.steer', previous_response_id: steered, input: 'Keep it short.' })
    const first = await client.until((frame) => frame.type === 'response.incomplete')
    const accepted = first.find((frame) => frame.type === 'response.steer.accepted')!
    expect(accepted).toEqual({
      type: 'response.steer.accepted',
      steer: { id: expect.stringMatching(/^steer_/), previous_response_id: steered },
      sequence_number: expect.any(Number),
      stream_id: 'main'
    })
    const terminal = first.at(-1)!
    expect(terminal.response).toMatchObject({ id: steered, status: 'incomplete', incomplete_details: { reason: 'steered' } })
    expect(responseOf(terminal).output).toEqual([expect.objectContaining({ type: 'message', status: 'incomplete' })])
    expect(grammarProblems(first.filter((frame) => frame.type !== 'response.steer.accepted')).filter((problem) => !problem.includes('sequence_number'))).toEqual([])

    const successor = await client.turn(first.length, 'main')
    expect(successor[0]!.response).toMatchObject({ status: 'in_progress', previous_response_id: steered })
    expect(grammarProblems(successor)).toEqual([])
    expect(sim!.responses.map((entry) => [entry.previousResponseId, entry.outcome])).toEqual([
      [null, 'incomplete'],
      [steered, 'completed']
    ])
  })

  it('waits for tool output when the steered response is calling tools, then prepends the steer input', async () => {
    const client = await open({ ...TOOL_LOOP, timing: { tokenIntervalMs: 8, tokensPerDelta: 1 } })
    client.send({ ...CREATE, input: 'Check the project.' })
    const created = (await client.until((frame) => frame.type === 'response.created')).at(-1)
    const id = responseOf(created!).id
    await client.until((frame) => frame.type === 'response.function_call_arguments.delta')
    client.send({ type: 'response.steer', previous_response_id: id, input: [{ role: 'user', content: 'Also check the README.' }] })
    const frames = await client.until((frame) => frame.type === 'response.steer.pending')
    const completed = frames.find((frame) => frame.type === 'response.completed')!
    const calls = responseOf(completed).output.filter((item) => item.type === 'function_call') as Array<{ call_id: string; name: string }>
    const pending = frames.at(-1)!
    expect(pending).toEqual({
      type: 'response.steer.pending',
      reason: 'waiting_for_required_input',
      steer: { id: expect.stringMatching(/^steer_/), previous_response_id: id },
      required_input: calls.map((call) => ({ type: 'function_call_output', call_id: call.call_id, name: call.name })),
      sequence_number: completed.sequence_number! + 1
    })
    const from = client.received.length
    client.send({ ...CREATE, previous_response_id: id, input: calls.map((call) => ({ type: 'function_call_output', call_id: call.call_id, output: 'ok' })) })
    expect((await client.turn(from)).at(-1)!.type).toBe('response.completed')
    // user message + 4 items of turn 0 + the steer message + 2 outputs
    expect(sim!.responses.at(-1)).toMatchObject({ inputItems: 2, contextItems: 8 })
  })

  it('refuses steers it cannot apply', async () => {
    const client = await open(SLOW_TEXT)
    client.send({ type: 'response.steer', previous_response_id: 'resp_nope', input: 'x' })
    client.send({ ...CREATE, input: 'Write a lot.' })
    const created = (await client.until((frame) => frame.type === 'response.created')).at(-1)
    const id = responseOf(created!).id
    client.send({ type: 'response.steer', previous_response_id: id, input: 'x', stream_id: 'main' })
    client.send({ type: 'response.steer', previous_response_id: id, input: [{ role: 'assistant', content: 'x' }] })
    await client.until((frame) => frame.type === 'response.completed')
    client.send({ type: 'response.steer', previous_response_id: id, input: 'too late' })
    await client.until((frame) => frame.type === 'response.steer.failed' && (frame.error as { code: string }).code === 'response_already_completed')
    const failures = client.received.filter((frame) => frame.type === 'response.steer.failed')
    expect(failures.map(steerFailure)).toEqual([
      ['response.steer.failed', 'response_not_found'],
      ['response.steer.failed', 'invalid_input'],
      ['response.steer.failed', 'invalid_input'],
      ['response.steer.failed', 'response_already_completed']
    ])
    expect(failures[1]).toMatchObject({ steer: { previous_response_id: id, input: 'x' }, error: { type: 'invalid_request_error', message: "Unknown parameter: 'stream_id'. A steer takes only 'previous_response_id' and 'input'." } })
  })

  it('answers steering_not_supported when the scenario disables steering', async () => {
    const client = await open({ ...SLOW_TEXT, steering: 'fail' })
    client.send({ ...CREATE, input: 'Write a lot.' })
    const created = (await client.until((frame) => frame.type === 'response.created')).at(-1)
    client.send({ type: 'response.steer', previous_response_id: responseOf(created!).id, input: 'x' })
    const [failure] = (await client.until((frame) => frame.type === 'response.steer.failed')).slice(-1)
    expect(steerFailure(failure!)).toEqual(['response.steer.failed', 'steering_not_supported'])
  })
})
