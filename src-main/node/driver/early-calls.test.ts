// Calls that change nothing run while their response still streams, against a server that holds
// the rest of the response back until they have run (so nothing here depends on timing). The
// gate is Tether's own broker and policy, as in the app.
import { afterEach, describe, expect, it } from 'vitest'
import type { RunRecord } from '../../common/run/records'
import { transcriptOf } from '../../common/run/transcript'
import { ApprovalBroker } from '../policy/approval-broker'
import { readRunLog } from '../store/run-log-reader'
import { TetherPolicy } from '../policy/tether-policy'
import { startScriptedModelServer, type ScriptedAnswer, type ScriptedModelServer } from '../../test-support/scripted-model-server'
import { driverFixture, type DriverFixture } from '../../test-support/driver/driver-fixture'
import type { ToolRuntime } from '../tools/tool-runtime'
import type { RunDriver } from './run-driver'
import type { GateCall, GateDecision, ToolGate } from './tool-gate'
import { holdFirstRead, type HeldFirstRead } from '../../test-support/driver/hold-first-read'
import { observedTools } from '../../test-support/driver/observed-tools'

let fixture: DriverFixture | null = null
let server: ScriptedModelServer | null = null
let firstRead: HeldFirstRead | null = null
afterEach(async () => {
  firstRead?.restore()
  firstRead = null
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

const created = (responseId: string) => ({ type: 'response.created', response: { id: responseId, object: 'response', status: 'in_progress', output: [] } })
const added = (index: number, call: Call) => ({ type: 'response.output_item.added', output_index: index, item: { ...functionCall(call), status: 'in_progress', arguments: '' } })
const argumentsDone = (index: number, call: Call) => ({ type: 'response.function_call_arguments.done', output_index: index, item_id: `fc_${call.id}`, arguments: JSON.stringify(call.arguments) })
const itemDone = (index: number, call: Call) => ({ type: 'response.output_item.done', output_index: index, item: functionCall(call) })
const completed = (responseId: string, calls: Call[]) => ({ type: 'response.completed', response: { id: responseId, object: 'response', status: 'completed', output: calls.map(functionCall) } })

/**
 * A first answer that streams `call` and drops the connection once the call has started, before the
 * response ends; `arm` watches the driver for that start.
 */
function dropsOnceStarted(call: Call): { answer: ScriptedAnswer; arm: (driver: RunDriver) => void } {
  let drop: () => void = () => undefined
  const dropNow = new Promise<void>((resolve) => (drop = resolve))
  const inProgress = { type: 'response.in_progress', response: { id: 'resp_1', object: 'response', status: 'in_progress', output: [] } }
  return {
    answer: { kind: 'events', events: [created('resp_1'), itemDone(0, call), inProgress], hold: { before: 2, until: dropNow }, close: true },
    arm: (driver) => {
      const unsubscribe = driver.subscribe((record) => {
        if (record.type === 'tool.started' && record.callId === call.id) {
          unsubscribe()
          drop()
        }
      })
    }
  }
}

/** Resolves once the run has logged a `tool.finished` for every one of `callIds`, or after `giveUpMs`. */
function finished(driver: RunDriver, callIds: string[], giveUpMs = GIVE_UP_MS): Promise<void> {
  const waiting = new Set(callIds)
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, giveUpMs)
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

async function startWithBroker(tools?: (inner: ToolRuntime) => ToolRuntime, watchGate?: (broker: ApprovalBroker) => ToolGate): Promise<RunDriver> {
  fixture = await driverFixture({}, { 'notes.txt': 'remember the milk\n' })
  const broker = new ApprovalBroker({ policy: new TetherPolicy({ dataDir: fixture.dataDir }), asker: { ask: async () => ({ decision: 'allow', scope: 'once', message: null }) } })
  return fixture.start('Look around, then keep a ledger.', {
    gate: watchGate ? watchGate(broker) : broker,
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
    // The two reads ran side by side (the command once the run's first read of the workspace was done).
    const seen = landmarks(records)
    expect(seen.slice(0, 4).sort()).toEqual(['tool.finished call_cat', 'tool.finished call_read', 'tool.started call_cat', 'tool.started call_read'])
    expect(seen.slice(4)).toEqual([
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

/**
 * How long a server holding a response back waits for a read that must not run early before it
 * goes on: a read that wrongly ran early would have finished long before.
 */
const HOLD_MS = 2_000
const LEDGER_READ: Call = { id: 'call_read_ledger', name: 'shell', arguments: { command: 'cat ledger.txt', timeout_ms: null } }

/** Runs a response that holds back its events from `holdBefore` on until the read ran or HOLD_MS passed; the write's and the read's starts in log order. */
async function startsOf(answers: { events: unknown[]; holdBefore?: number }[]): Promise<{ starts: string[]; state: RunDriver['state'] }> {
  let release: () => void = () => undefined
  const released = new Promise<void>((resolve) => (release = resolve))
  server = await startScriptedModelServer([
    ...answers.map(({ events, holdBefore }) => ({ kind: 'events' as const, events, ...(holdBefore === undefined ? {} : { hold: { before: holdBefore, until: released } }) })),
    { kind: 'ok', text: 'Done.' }
  ])
  const driver = await startWithBroker()
  void finished(driver, [LEDGER_READ.id], HOLD_MS).then(release)
  expect(await driver.run()).toBe('completed')
  await driver.close()
  const { records } = await readRunLog(driver.logPath)
  return { starts: records.flatMap((record) => (record.type === 'tool.started' ? [record.callId] : [])), state: driver.state }
}

describe('no call runs early before one the model listed ahead of it', () => {
  it('when the earlier call never sends its output_item.done (a sparse stream)', async () => {
    const events = [created('resp_1'), added(0, WRITE), argumentsDone(0, WRITE), added(1, LEDGER_READ), itemDone(1, LEDGER_READ), completed('resp_1', [WRITE, LEDGER_READ])]
    const { starts, state } = await startsOf([{ events, holdBefore: 5 }])
    expect({ starts, read: state.toolCalls[LEDGER_READ.id]?.output }).toEqual({ starts: [WRITE.id, LEDGER_READ.id], read: expect.stringContaining('step') })
  }, 30_000)

  it("when the later call's output_item.done comes before the earlier one's", async () => {
    const events = [created('resp_1'), added(0, WRITE), added(1, LEDGER_READ), itemDone(1, LEDGER_READ), itemDone(0, WRITE), completed('resp_1', [WRITE, LEDGER_READ])]
    const { starts } = await startsOf([{ events, holdBefore: 4 }])
    expect(starts).toEqual([WRITE.id, LEDGER_READ.id])
  }, 30_000)

  it('when a call id an earlier response already ran sits between them', async () => {
    const first = [created('resp_1'), itemDone(0, READ), completed('resp_1', [READ])]
    const second = [created('resp_2'), itemDone(0, WRITE), itemDone(1, READ), itemDone(2, LEDGER_READ), completed('resp_2', [WRITE, READ, LEDGER_READ])]
    const { starts } = await startsOf([{ events: first }, { events: second, holdBefore: 4 }])
    expect(starts).toEqual([READ.id, WRITE.id, LEDGER_READ.id])
  }, 30_000)
})

/** The broker, telling `onCleared` of every shell command it precleared to run early. */
function watchingPreclear(onCleared: (call: GateCall) => void): (broker: ApprovalBroker) => ToolGate {
  return (broker) => ({
    authorize: (call) => broker.authorize(call),
    preclear: async (call): Promise<GateDecision | null> => {
      const decision = await broker.preclear(call)
      if (decision !== null && call.tool === 'shell') onCleared(call)
      return decision
    },
    closeRun: (runId) => broker.closeRun(runId)
  })
}

describe("a command run early waits for the run's first read of the workspace", () => {
  it('starts only once that read has ended, and the reads listed after it wait with it', async () => {
    let release: () => void = () => undefined
    const released = new Promise<void>((resolve) => (release = resolve))
    server = await startScriptedModelServer([
      { kind: 'events', events: callEvents('resp_calls', [CAT, READ]), hold: { before: 3, until: released } },
      { kind: 'ok', text: 'Read.' }
    ])
    firstRead = holdFirstRead()
    const held = firstRead
    // The read ends one turn of the event loop after the command is cleared: a call that did not
    // wait for it would have started by then.
    const driver = await startWithBroker(undefined, watchingPreclear(() => setTimeout(held.release, 0)))
    const whileHeld: string[] = []
    driver.subscribe((record) => {
      if (!held.released() && record.type === 'tool.started') whileHeld.push(record.callId)
    })
    void finished(driver, [CAT.id, READ.id]).then(release)
    expect(await driver.run()).toBe('completed')
    await driver.close()

    const { records } = await readRunLog(driver.logPath)
    const seen = landmarks(records)
    expect({ whileHeld, starts: seen.filter((mark) => mark.startsWith('tool.started')), last: seen.slice(-2) }).toEqual({
      whileHeld: [],
      starts: ['tool.started call_cat', 'tool.started call_read'],
      last: ['completed resp_calls', expect.stringMatching(/^completed resp_scripted_/)]
    })
  }, 30_000)

  it('runs the arguments the final output gives when they changed while it waited, never the ones it was cleared with', async () => {
    const streamed: Call = { id: 'call_echo', name: 'shell', arguments: { command: 'echo streamed', timeout_ms: null } }
    const final: Call = { ...streamed, arguments: { command: 'echo final', timeout_ms: null } }
    let cleared: () => void = () => undefined
    const precleared = new Promise<void>((resolve) => (cleared = resolve))
    server = await startScriptedModelServer([
      { kind: 'events', events: [created('resp_1'), itemDone(0, streamed), completed('resp_1', [final])], hold: { before: 2, until: precleared } },
      { kind: 'ok', text: 'Done.' }
    ])
    firstRead = holdFirstRead()
    const held = firstRead
    const executed: string[] = []
    const driver = await startWithBroker(
      (inner) => observedTools(inner, (request) => executed.push(String((request.call.args as { command: string }).command))),
      watchingPreclear(() => cleared())
    )
    driver.subscribe((record) => {
      if (record.type === 'server.event' && record.event.type === 'response.completed' && !held.released()) setTimeout(held.release, 0)
    })
    expect(await driver.run()).toBe('completed')
    await driver.close()

    expect({ executed, output: driver.state.toolCalls[streamed.id]?.output }).toEqual({ executed: ['echo final'], output: expect.stringContaining('final') })
  }, 30_000)
})

describe('a server that contradicts itself', () => {
  it('gets a call id asked again after a drop run anew, with its new arguments and its own approval, never answered by the earlier run, which is stopped', async () => {
    const slow: Call = { id: 'call_again', name: 'shell', arguments: { command: 'sleep 600', timeout_ms: null } }
    const again: Call = { ...slow, arguments: { command: 'echo again >> ledger.txt', timeout_ms: null } }
    const first = dropsOnceStarted(slow)
    server = await startScriptedModelServer([
      first.answer,
      { kind: 'events', events: [created('resp_2'), itemDone(0, again), completed('resp_2', [again])] },
      { kind: 'ok', text: 'Done.' }
    ])
    const driver = await startWithBroker()
    first.arm(driver)
    expect(await driver.run()).toBe('completed')
    await driver.close()
    const { records } = await readRunLog(driver.logPath)
    expect({ marks: landmarks(records), arguments: driver.state.toolCalls[slow.id]?.arguments, ledger: fixture!.read('ledger.txt') }).toEqual({
      marks: [
        'tool.started call_again',
        'tool.finished call_again',
        'completed resp_2',
        'approval.requested call_again',
        'approval.decided call_again',
        'tool.started call_again',
        'tool.finished call_again',
        expect.stringMatching(/^completed resp_scripted_/)
      ],
      arguments: JSON.stringify(again.arguments),
      ledger: 'again\n'
    })
    const firstEnd = records.find((record) => record.type === 'tool.finished')
    expect(firstEnd?.type === 'tool.finished' && firstEnd.status).toBe('interrupted')
  }, 60_000)

  it('finishes when a call id streamed as text comes back as a number in the final output', async () => {
    const streamed = { ...functionCall({ id: '5', name: 'shell', arguments: { command: 'sleep 1', timeout_ms: null } }) }
    server = await startScriptedModelServer([
      { kind: 'events', events: [created('resp_1'), { type: 'response.output_item.done', output_index: 0, item: streamed }, { type: 'response.completed', response: { id: 'resp_1', object: 'response', status: 'completed', output: [{ ...streamed, call_id: 5 }] } }] },
      { kind: 'ok', text: 'Done.' }
    ])
    const driver = await startWithBroker()
    expect(await driver.run()).toBe('completed')
    await driver.close()
    // The final output's call has no usable id, so the response asks for nothing the model could get an answer to.
    expect({ requests: server.requests.length, callIds: Object.keys(driver.state.toolCalls) }).toEqual({ requests: 1, callIds: ['5'] })
    expect(await fixture!.reload(driver)).toEqual(driver.state)
  }, 30_000)

  it('stops a read still running early for a dropped response when the run ends, instead of waiting for it', async () => {
    const slow: Call = { id: 'call_slow', name: 'shell', arguments: { command: 'sleep 600', timeout_ms: null } }
    const first = dropsOnceStarted(slow)
    server = await startScriptedModelServer([
      first.answer,
      { kind: 'http', status: 401, body: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } } }
    ])
    const driver = await startWithBroker()
    first.arm(driver)
    expect(await driver.run()).toBe('failed')
    await driver.close()
    expect(driver.state.toolCalls[slow.id]?.status).toBe('interrupted')
  }, 60_000)
})

