// Calls that change nothing run while their response still streams, against a server that holds
// the rest of the response back until they have run (so nothing here depends on timing). The
// gate is Tether's own broker and policy, as in the app.
import { afterEach, describe, expect, it } from 'vitest'
import type { RunRecord } from '../../common/run/records'
import { transcriptOf } from '../../common/run/transcript'
import { ApprovalBroker } from '../policy/approval-broker'
import { readRunLog } from '../store/run-log-reader'
import { TetherPolicy } from '../policy/tether-policy'
import { startScriptedModelServer, type ScriptedModelServer } from '../../test-support/scripted-model-server'
import { driverFixture, type DriverFixture } from '../../test-support/driver/driver-fixture'
import type { ToolRuntime } from '../tools/tool-runtime'
import type { RunDriver } from './run-driver'

let fixture: DriverFixture | null = null
let server: ScriptedModelServer | null = null
afterEach(async () => {
  await server?.stop()
  await fixture?.cleanup()
  server = null
  fixture = null
})

/** Long enough that only a call that never runs early reaches it; the server then goes on anyway. */
const GIVE_UP_MS = 20_000

interface Call {
  id: string
  name: string
  arguments: Record<string, unknown>
}

function functionCall(call: Call) {
  return { id: `fc_${call.id}`, type: 'function_call', status: 'completed', call_id: call.id, name: call.name, arguments: JSON.stringify(call.arguments) }
}

/** A response listing `calls`, whose `response.completed` is the last of its events. */
function callEvents(responseId: string, calls: Call[]): unknown[] {
  const items = calls.map(functionCall)
  return [
    { type: 'response.created', sequence_number: 0, response: { id: responseId, object: 'response', status: 'in_progress', output: [] } },
    ...items.map((item, index) => ({ type: 'response.output_item.done', sequence_number: index + 1, output_index: index, item })),
    { type: 'response.completed', sequence_number: items.length + 1, response: { id: responseId, object: 'response', status: 'completed', output: items } }
  ]
}

/** Resolves once the run has logged a `tool.finished` for every one of `callIds`, or after GIVE_UP_MS. */
function finished(driver: RunDriver, callIds: string[]): Promise<void> {
  const waiting = new Set(callIds)
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, GIVE_UP_MS)
    const unsubscribe = driver.subscribe((record) => {
      if (record.type === 'tool.finished') waiting.delete(record.callId)
      if (waiting.size > 0) return
      clearTimeout(timer)
      unsubscribe()
      resolve()
    })
  })
}

/** Tool and approval records and the responses' ends, in log order. */
function landmarks(records: RunRecord[]): string[] {
  return records.flatMap((record) => {
    if (record.type === 'tool.started' || record.type === 'tool.finished') return [`${record.type} ${record.callId}`]
    if (record.type === 'approval.requested' || record.type === 'approval.decided') return [`${record.type} ${record.callId}`]
    if (record.type === 'server.event' && record.event.type === 'response.completed') return [`completed ${record.event.response.id}`]
    return []
  })
}

async function startWithBroker(tools?: (inner: ToolRuntime) => ToolRuntime): Promise<RunDriver> {
  fixture = await driverFixture({}, { 'notes.txt': 'remember the milk\n' })
  const gate = new ApprovalBroker({ policy: new TetherPolicy({ dataDir: fixture.dataDir }), asker: { ask: async () => ({ decision: 'allow', scope: 'once', message: null }) } })
  return fixture.start('Look around, then keep a ledger.', {
    gate,
    provider: { name: 'custom', baseUrl: server!.baseUrl, apiKey: 'test-key' },
    ...(tools ? { tools: tools(fixture.tools) } : {})
  })
}

const READ: Call = { id: 'call_read', name: 'read_file', arguments: { path: 'notes.txt', start_line: null, end_line: null } }
const CAT: Call = { id: 'call_cat', name: 'shell', arguments: { command: 'cat notes.txt', timeout_ms: null } }
const WRITE: Call = { id: 'call_write', name: 'shell', arguments: { command: 'echo step >> ledger.txt', timeout_ms: null } }
const LIST: Call = { id: 'call_list', name: 'list_dir', arguments: { path: '.' } }

describe('calls that change nothing run before their response ends', () => {
  it('runs the reads listed first while the response streams; the first call that may change something, and every call after it, waits for the end', async () => {
    let release: () => void = () => undefined
    const released = new Promise<void>((resolve) => (release = resolve))
    server = await startScriptedModelServer([
      { kind: 'events', events: callEvents('resp_calls', [READ, CAT, WRITE, LIST]), hold: { before: 5, until: released } },
      { kind: 'ok', text: 'The ledger has a step.' }
    ])
    const driver = await startWithBroker()
    void finished(driver, [READ.id, CAT.id]).then(release)
    expect(await driver.run()).toBe('completed')
    await driver.close()

    const { records } = await readRunLog(driver.logPath)
    expect(landmarks(records)).toEqual([
      'tool.started call_read',
      'tool.started call_cat',
      'tool.finished call_read',
      'tool.finished call_cat',
      'completed resp_calls',
      'approval.requested call_write',
      'approval.decided call_write',
      'tool.started call_write',
      'tool.started call_list',
      'tool.finished call_write',
      'tool.finished call_list',
      expect.stringMatching(/^completed resp_scripted_/)
    ])
    const secondInput = server.requests[1]!.body!.input as { type: string; call_id?: string }[]
    expect(secondInput.map((item) => item.call_id)).toEqual([READ.id, CAT.id, WRITE.id, LIST.id])
    expect(fixture!.read('ledger.txt')).toBe('step\n')
    expect(await fixture!.reload(driver)).toEqual(driver.state)
  }, 60_000)

  it('keeps the results of a dropped response from the model: the request sent again carries none of them', async () => {
    let release: () => void = () => undefined
    const released = new Promise<void>((resolve) => (release = resolve))
    server = await startScriptedModelServer([
      { kind: 'events', events: callEvents('resp_dropped', [READ, LIST]).slice(0, 3), hold: { before: 2, until: released }, close: true },
      { kind: 'ok', text: 'Nothing to do.' }
    ])
    const driver = await startWithBroker()
    void finished(driver, [READ.id]).then(release)
    expect(await driver.run()).toBe('completed')
    await driver.close()

    const state = driver.state
    expect(state.toolCalls[READ.id]?.status).toBe('ok')
    expect(server.requests.map((request) => request.body!.input)).toEqual([server.requests[0]!.body!.input, server.requests[0]!.body!.input])
    expect(transcriptOf(state).filter((item) => item.type === 'function_call_output' || item.type === 'function_call')).toEqual([])
    expect(await fixture!.reload(driver)).toEqual(state)
  }, 60_000)

  it('ends every call still waiting as not run when the person interrupts while a call run early still runs', async () => {
    server = await startScriptedModelServer([{ kind: 'events', events: callEvents('resp_calls', [READ, WRITE]) }])
    let driver: RunDriver | null = null
    let completed: () => void = () => undefined
    const responseEnded = new Promise<void>((resolve) => (completed = resolve))
    driver = await startWithBroker((inner) => ({
      registry: inner.registry,
      openRun: (context) => inner.openRun(context),
      execute: async (request, observer) => {
        const result = await inner.execute(request, observer)
        // The read ran early; the person interrupts once the response has ended, while the write waits for the read.
        await responseEnded
        await driver!.interrupt()
        return result
      },
      closeRun: (runId) => inner.closeRun(runId),
      close: () => inner.close()
    }))
    driver.subscribe((record) => {
      if (record.type === 'server.event' && record.event.type === 'response.completed') completed()
    })
    expect(await driver.run()).toBe('interrupted')
    await driver.close()

    const calls = driver.state.toolCallOrder.map((callId) => driver.state.toolCalls[callId]!)
    expect(calls.map((call) => [call.callId, call.status, call.status === 'ok' ? 'ran' : call.output])).toEqual([
      [READ.id, 'ok', 'ran'],
      [WRITE.id, 'interrupted', 'The person interrupted the run before this call ran.']
    ])
    expect(() => fixture!.read('ledger.txt')).toThrow()
    expect(await fixture!.reload(driver)).toEqual(driver.state)
  }, 60_000)
})
