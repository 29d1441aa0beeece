import { existsSync, readFileSync, readlinkSync } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Scenario } from '../../../sim'
import type { RunRecord } from '../../common/run/records'
import { ApprovalBroker } from '../policy/approval-broker'
import { TetherPolicy } from '../policy/tether-policy'
import { DataDir } from '../store/data-dir'
import type { ToolRuntime } from '../tools/tool-runtime'
import type { GateCall, ToolGate } from './tool-gate'
import { builtinTools } from '../tools/builtin'
import type { RunDriver } from './run-driver'
import { durabilityOf } from './tool-executor'
import { driverFixture, type DriverFixture } from '../../test-support/driver/driver-fixture'
import { holdFirstRead } from '../../test-support/driver/hold-first-read'
import { observedTools } from '../../test-support/driver/observed-tools'

/** One turn of three calls that change things and must run one after the other. */
const SEQUENTIAL: Scenario = {
  name: 'sequential',
  turns: [
    {
      output: [
        { type: 'function_call', name: 'write_file', arguments: { path: 'note.txt', content: 'one\n' } },
        { type: 'function_call', name: 'shell', arguments: { command: 'echo two >> note.txt', timeout_ms: null } },
        { type: 'function_call', name: 'shell', arguments: { command: 'cat note.txt', timeout_ms: null } }
      ]
    },
    { output: [{ type: 'message', text: 'Done.' }] }
  ]
}

/** One turn where a read comes first, then two calls that change files. */
const READ_THEN_WRITES: Scenario = {
  name: 'read-then-writes',
  turns: [
    {
      output: [
        { type: 'function_call', name: 'read_file', arguments: { path: 'README.md', start_line: null, end_line: null } },
        { type: 'function_call', name: 'write_file', arguments: { path: 'note.txt', content: 'one\n' } },
        { type: 'function_call', name: 'shell', arguments: { command: 'echo two >> note.txt', timeout_ms: null } }
      ]
    },
    { output: [{ type: 'message', text: 'Done.' }] }
  ]
}

/** One turn of calls that change nothing: a read, a listing, a search and a read-only script. */
const READS: Scenario = {
  name: 'reads',
  turns: [
    {
      output: [
        { type: 'function_call', name: 'read_file', arguments: { path: 'README.md', start_line: null, end_line: null } },
        { type: 'function_call', name: 'list_dir', arguments: { path: '.' } },
        { type: 'function_call', name: 'search', arguments: { pattern: 'Tether', path: null } },
        { type: 'function_call', name: 'script', arguments: { code: 'return tether.listDir(".").length' } }
      ]
    },
    { output: [{ type: 'message', text: 'Done.' }] }
  ]
}

/** One shell command the policy puts to the person in ask-always mode. */
const ONE_COMMAND: Scenario = {
  name: 'one-command',
  turns: [{ output: [{ type: 'function_call', name: 'shell', arguments: { command: 'touch made.txt', timeout_ms: null } }] }, { output: [{ type: 'message', text: 'Done.' }] }]
}

/** One turn of shell commands the policy knows to be read-only. */
const READ_ONLY_COMMANDS: Scenario = {
  name: 'read-only-commands',
  turns: [
    {
      output: [
        { type: 'function_call', name: 'shell', arguments: { command: 'ls -la', timeout_ms: null } },
        { type: 'function_call', name: 'shell', arguments: { command: 'cat README.md', timeout_ms: null } }
      ]
    },
    { output: [{ type: 'message', text: 'Done.' }] }
  ]
}

/** A file read, a read-only command, then a file write, each in a turn of its own. */
const READS_THEN_WRITE: Scenario = {
  name: 'reads-then-write',
  turns: [
    { output: [{ type: 'function_call', name: 'read_file', arguments: { path: 'README.md', start_line: null, end_line: null } }] },
    { output: [{ type: 'function_call', name: 'shell', arguments: { command: 'cat README.md', timeout_ms: null } }] },
    { output: [{ type: 'function_call', name: 'write_file', arguments: { path: 'note.txt', content: 'one\n' } }] },
    { output: [{ type: 'message', text: 'Done.' }] }
  ]
}

interface Sync {
  path: string
  /** File size when the fdatasync returned: everything up to here is on disk. */
  size: number
}

/** Records every completed fdatasync of a run log in this process with the file and its size (the snapshot store's own syncs too when asked). */
async function watchSyncs(withSnapshots = false): Promise<{ syncs: Sync[]; restore: () => void }> {
  const probe = await open(process.execPath, 'r')
  const proto = Object.getPrototypeOf(probe) as { datasync: (this: FileHandle) => Promise<void> }
  await probe.close()
  const original = proto.datasync
  const syncs: Sync[] = []
  proto.datasync = async function (this: FileHandle) {
    await original.call(this)
    const path = readlinkSync(`/proc/self/fd/${this.fd}`)
    if (withSnapshots || !path.includes('/snapshots/')) syncs.push({ path, size: (await this.stat()).size })
  }
  return { syncs, restore: () => (proto.datasync = original) }
}

/** How many syncs had completed when the first response ended and when the second request left. */
function syncCountsAroundFirstCalls(driver: RunDriver, syncs: readonly Sync[]): { atCompleted: number | null; atSecondRequest: number | null } {
  const counts: { atCompleted: number | null; atSecondRequest: number | null } = { atCompleted: null, atSecondRequest: null }
  driver.subscribe((record) => {
    if (record.type === 'server.event' && record.event.type === 'response.completed') counts.atCompleted ??= syncs.length
    if (record.type === 'request.sent' && record.turn === 2) counts.atSecondRequest = syncs.length
  })
  return counts
}

/** Byte offset of the end of the first line holding `record`'s type and call id. */
function lineEnd(log: string, type: string, callId: string): number {
  let offset = 0
  for (const line of log.split('\n')) {
    offset += Buffer.byteLength(line) + 1
    const record = JSON.parse(line) as RunRecord
    if (record.type === type && 'callId' in record && record.callId === callId) return offset
  }
  throw new Error(`no ${type} for ${callId}`)
}

describe('durabilityOf: the one write-ahead decision', () => {
  const prepare = (name: string, args: object) => builtinTools.prepare(name, JSON.stringify(args))
  const shell = prepare('shell', { command: 'ls -la', timeout_ms: null })
  const write = prepare('write_file', { path: 'a.txt', content: 'a' })

  it("takes the tool's declared durability, narrowed only by a verdict that the call changes nothing", () => {
    expect([
      durabilityOf(shell, null),
      durabilityOf(shell, { allowed: true }),
      durabilityOf(shell, { allowed: true, changesNothing: true }),
      durabilityOf(write, { allowed: true }),
      durabilityOf(prepare('read_file', { path: 'a.txt', start_line: null, end_line: null }), null),
      durabilityOf(prepare('shell', { command: 1 }), null)
    ]).toEqual(['effectful', 'effectful', 'read-only', 'effectful', 'read-only', 'read-only'])
  })
})

let fixture: DriverFixture | null = null
let restore: (() => void) | null = null
afterEach(async () => {
  restore?.()
  restore = null
  await fixture?.cleanup()
  fixture = null
})

describe('ToolExecutor durability', () => {
  it('starts the calls of one turn with one fsync for all their tool.started records, runs each only once its own is on disk, in order, and does not wait for their ends', async () => {
    fixture = await driverFixture({ scenario: SEQUENTIAL })
    const watched = await watchSyncs()
    restore = watched.restore
    const syncedSize = (path: string): number => Math.max(0, ...watched.syncs.filter((sync) => sync.path === path).map((sync) => sync.size))
    let logPath = ''
    const executed: Array<{ callId: string; synced: number; syncs: number }> = []
    const tools = observedTools(fixture.tools, (request) => {
      executed.push({ callId: request.callId, synced: syncedSize(logPath), syncs: watched.syncs.length })
    })
    const driver = await fixture.start('Write a note, add to it and show it.', { tools })
    logPath = driver.logPath
    const counts = syncCountsAroundFirstCalls(driver, watched.syncs)
    expect(await driver.run()).toBe('completed')
    await driver.close()

    const log = readFileSync(driver.logPath, 'utf8').trimEnd()
    const callIds = driver.state.toolCallOrder
    expect(callIds).toHaveLength(3)
    expect(executed.map(({ callId }) => callId)).toEqual(callIds)
    // One fsync between the response and the first call, and it holds all three tool.started.
    expect(executed[0]!.syncs - counts.atCompleted!).toBe(1)
    expect(executed[0]!.synced).toBeGreaterThanOrEqual(lineEnd(log, 'tool.started', callIds[2]!))
    expect(executed.map(({ callId, synced }) => ({ callId, startedOnDisk: synced >= lineEnd(log, 'tool.started', callId) }))).toEqual(
      callIds.map((callId) => ({ callId, startedOnDisk: true }))
    )
    expect(fixture.read('note.txt')).toBe('one\ntwo\n')
    expect(driver.state.toolCalls[callIds[2]!]?.output).toBe('one\ntwo\n[exit code 0]')
    // The request does not wait for the last call's end: its sync is the next one to complete.
    const lastFinished = lineEnd(log, 'tool.finished', callIds[2]!)
    expect(watched.syncs[counts.atSecondRequest!]).toEqual({ path: driver.logPath, size: expect.any(Number) })
    expect(watched.syncs[counts.atSecondRequest!]!.size).toBeGreaterThanOrEqual(lastFinished)
  })

  it("runs each call that may change files only once its checkpoint is on disk, the first one's taken while the turn's tool.started records are synced", async () => {
    fixture = await driverFixture({ scenario: READ_THEN_WRITES })
    const watched = await watchSyncs(true)
    restore = watched.restore
    const checkpointLogOnDisk = (): number => Math.max(0, ...watched.syncs.filter((sync) => sync.path.endsWith('/checkpoints.jsonl')).map((sync) => sync.size))
    const executed: Array<{ callId: string; checkpointsOnDisk: number }> = []
    const tools = observedTools(fixture.tools, (request) => {
      executed.push({ callId: request.callId, checkpointsOnDisk: checkpointLogOnDisk() })
    })
    const driver = await fixture.start('Read the README, then write a note and add to it.', { tools })
    const beforeFirstCall: string[] = []
    driver.subscribe((record) => {
      if (executed.length === 0 && (record.type === 'tool.started' || record.type === 'checkpoint.saved')) beforeFirstCall.push(record.type === 'tool.started' ? `started ${record.callId}` : `${record.phase} ${record.callId}`)
    })
    expect(await driver.run()).toBe('completed')
    const checkpointLog = (await driver.checkpoints())!.logPath
    await driver.close()

    const [read, write, append] = driver.state.toolCallOrder
    // The write's checkpoint is recorded with the turn's tool.started records, before anything runs.
    expect(beforeFirstCall).toEqual([`started ${read}`, `started ${write}`, `started ${append}`, `before ${write}`])
    const lines = readFileSync(checkpointLog, 'utf8').trimEnd().split('\n')
    const endOf = (label: string, callId: string): number => {
      const index = lines.findIndex((line) => {
        const parsed = JSON.parse(line) as { label: string; callId: string | null }
        return parsed.label === label && parsed.callId === callId
      })
      expect(index).toBeGreaterThanOrEqual(0)
      return lines.slice(0, index + 1).reduce((bytes, line) => bytes + Buffer.byteLength(line) + 1, 0)
    }
    expect(executed.map(({ callId }) => callId)).toEqual([read, write, append])
    expect(executed.slice(1).map(({ callId, checkpointsOnDisk }) => ({ callId, beforeOnDisk: checkpointsOnDisk >= endOf('before', callId) }))).toEqual([
      { callId: write, beforeOnDisk: true },
      { callId: append, beforeOnDisk: true }
    ])
    expect(fixture.read('note.txt')).toBe('one\ntwo\n')
  })

  it('marks calls that started together but never ran as interrupted before they ran when the person interrupts', async () => {
    fixture = await driverFixture({ scenario: SEQUENTIAL })
    const inner = fixture.tools
    let interrupt: () => Promise<void> = async () => {}
    const tools: ToolRuntime = {
      registry: inner.registry,
      openRun: (context) => inner.openRun(context),
      execute: async (request, observer) => {
        const result = await inner.execute(request, observer)
        await interrupt()
        return result
      },
      closeRun: (runId) => inner.closeRun(runId),
      close: () => inner.close()
    }
    const driver = await fixture.start('Write a note, add to it and show it.', { tools })
    interrupt = () => driver.interrupt()
    expect(await driver.run()).toBe('interrupted')
    await driver.close()
    const calls = driver.state.toolCallOrder.map((callId) => driver.state.toolCalls[callId]!)
    expect(calls.map((call) => [call.status, call.output])).toEqual([
      ['ok', expect.any(String)],
      ['interrupted', 'The person interrupted the run before this call ran.'],
      ['interrupted', 'The person interrupted the run before this call ran.']
    ])
    expect(fixture.read('note.txt')).toBe('one\n')
    expect(await fixture.reload(driver)).toEqual(driver.state)
  })

  it('runs calls that change nothing without waiting for the disk, and still writes their records in order', async () => {
    fixture = await driverFixture({ scenario: READS }, { 'README.md': '# Tether notes\n' })
    const watched = await watchSyncs()
    restore = watched.restore
    const driver = await fixture.start('Look around.')
    const counts = syncCountsAroundFirstCalls(driver, watched.syncs)
    expect(await driver.run()).toBe('completed')
    await driver.close()

    expect(counts.atSecondRequest).toBe(counts.atCompleted)
    const records = readFileSync(driver.logPath, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as RunRecord)
    const toolRecords = records.flatMap((record) => (record.type === 'tool.started' || record.type === 'tool.finished' ? [{ type: record.type, callId: record.callId }] : []))
    const callIds = driver.state.toolCallOrder
    expect(toolRecords.filter((record) => record.type === 'tool.started').map((record) => record.callId)).toEqual(callIds)
    expect(new Set(toolRecords.filter((record) => record.type === 'tool.finished').map((record) => record.callId))).toEqual(new Set(callIds))
    expect(callIds.map((callId) => driver.state.toolCalls[callId]?.status)).toEqual(['ok', 'ok', 'ok', 'ok'])
    expect(records.map((record) => record.seq)).toEqual(records.map((_, index) => index))
  })

  it('runs shell commands the policy knows to be read-only without waiting for the disk', async () => {
    fixture = await driverFixture({ scenario: READ_ONLY_COMMANDS }, { 'README.md': '# Tether notes\n' })
    const watched = await watchSyncs()
    restore = watched.restore
    const policyDir = new DataDir(join(fixture.newWorkspace(), 'policy'))
    const gate = new ApprovalBroker({ policy: new TetherPolicy({ dataDir: policyDir }), asker: null })
    const driver = await fixture.start('Look around.', { gate, approvalMode: 'ask-risky' })
    const counts = syncCountsAroundFirstCalls(driver, watched.syncs)
    expect(await driver.run()).toBe('completed')
    await driver.close()

    expect(counts.atSecondRequest).toBe(counts.atCompleted)
    const callIds = driver.state.toolCallOrder
    expect(callIds.map((callId) => [driver.state.toolCalls[callId]?.status, driver.state.toolCalls[callId]?.exitCode])).toEqual([
      ['ok', 0],
      ['ok', 0]
    ])
    expect(driver.state.approvals).toEqual({})
  })

  it.each([
    ['run early while its response streams', true],
    ['run once its response has ended', false]
  ])("runs Tether's own reads during the run's first read of the workspace, and starts a shell command, read-only or not, only after it (%s)", async (_how, early) => {
    fixture = await driverFixture({ scenario: READS_THEN_WRITE }, { 'README.md': '# Tether notes\n' })
    const firstRead = holdFirstRead()
    restore = firstRead.restore
    const executed: Array<{ name: string; afterFirstRead: boolean }> = []
    const tools = observedTools(fixture.tools, (request) => {
      executed.push({ name: request.call.tool.name, afterFirstRead: firstRead.released() })
    })
    const broker = new ApprovalBroker({ policy: new TetherPolicy({ dataDir: new DataDir(join(fixture.newWorkspace(), 'policy')) }), asker: null })
    // The read ends one turn of the event loop after the command is cleared: a command that did
    // not wait for it would have started by then.
    const releaseOnceCleared = <T,>(call: GateCall, decision: T): T => {
      if (call.tool === 'shell') setTimeout(firstRead.release, 0)
      return decision
    }
    const gate: ToolGate = {
      authorize: async (call) => releaseOnceCleared(call, await broker.authorize(call)),
      ...(early ? { preclear: async (call: GateCall) => releaseOnceCleared(call, await broker.preclear(call)) } : {})
    }
    const driver = await fixture.start('Read the README twice, then write a note.', { gate, approvalMode: 'auto-in-sandbox', tools })
    const whileReading: string[] = []
    driver.subscribe((record) => {
      if (firstRead.released()) return
      if (record.type === 'tool.started' || record.type === 'tool.finished') whileReading.push(`${record.type} ${driver.state.toolCalls[record.callId]?.name}`)
      if (record.type === 'request.sent') whileReading.push(`request ${record.turn}`)
    })
    expect(await driver.run()).toBe('completed')
    await driver.close()

    expect(whileReading).toEqual(['request 1', 'tool.started read_file', 'tool.finished read_file', 'request 2'])
    expect(executed).toEqual([
      { name: 'read_file', afterFirstRead: false },
      { name: 'shell', afterFirstRead: true },
      { name: 'write_file', afterFirstRead: true }
    ])
    const calls = driver.state.toolCallOrder.map((callId) => {
      const call = driver.state.toolCalls[callId]
      return { name: call?.name, status: call?.status, rewindable: call?.rewindable, changes: call?.changes?.paths }
    })
    expect(calls).toEqual([
      { name: 'read_file', status: 'ok', rewindable: false, changes: undefined },
      { name: 'shell', status: 'ok', rewindable: false, changes: undefined },
      { name: 'write_file', status: 'ok', rewindable: true, changes: ['note.txt'] }
    ])
  })

  it('starts nothing and records nothing more once the driver closes while a write waits for the first read', async () => {
    fixture = await driverFixture({ scenario: ONE_COMMAND })
    const firstRead = holdFirstRead()
    restore = firstRead.restore
    const executed: string[] = []
    const tools = observedTools(fixture.tools, (request) => {
      executed.push(request.call.tool.name)
    })
    let closing: Promise<void> | null = null
    let driver: RunDriver | null = null
    // The host stops once the write is cleared, while it waits for the read.
    const gate: ToolGate = {
      authorize: async () => {
        setTimeout(() => {
          closing = driver!.close()
          firstRead.release()
        }, 50)
        return { allowed: true }
      }
    }
    driver = await fixture.start('Make a file.', { tools, gate })
    await expect(driver.run()).rejects.toThrow('the run was closed')
    await closing

    const logged = await fixture.reload(driver)
    expect({ executed, made: existsSync(join(fixture.workspace, 'made.txt')), call: logged.toolCalls[logged.toolCallOrder[0]!]?.status }).toEqual({
      executed: [],
      made: false,
      call: 'requested'
    })
  })

  it('ends the wait for the first read at once when the person interrupts: the command does not run', async () => {
    fixture = await driverFixture({ scenario: ONE_COMMAND })
    const firstRead = holdFirstRead()
    restore = firstRead.restore
    let driver: RunDriver | null = null
    const gate: ToolGate = {
      authorize: async () => {
        setTimeout(() => void driver!.interrupt(), 0)
        return { allowed: true }
      }
    }
    driver = await fixture.start('Make a file.', { gate })
    const stillWaiting = new Promise<string>((resolve) => setTimeout(() => resolve('still waiting for the read'), 10_000))
    const outcome = await Promise.race([driver.run(), stillWaiting])
    firstRead.release()
    await driver.close()

    const call = driver.state.toolCalls[driver.state.toolCallOrder[0]!]
    expect({ outcome, call: call?.status, made: existsSync(join(fixture.workspace, 'made.txt')) }).toEqual({ outcome: 'interrupted', call: 'interrupted', made: false })
  })

  it('reads the workspace once for a run taken up again while that read is still under way', async () => {
    fixture = await driverFixture({ scenario: READS })
    const firstRead = holdFirstRead()
    restore = firstRead.restore
    const driver = await fixture.start('Look around.')
    expect(await driver.run()).toBe('completed')
    await driver.followUp('Look again.')
    expect(await driver.run()).toBe('completed')
    firstRead.release()
    const checkpoints = await driver.checkpoints()
    await driver.close()

    expect({ opened: firstRead.opened(), checkpoints: checkpoints?.count }).toEqual({ opened: 1, checkpoints: 1 })
  })

  it("syncs a person's request before asking, and their decision with the call's tool.started, before the command runs", async () => {
    fixture = await driverFixture({ scenario: ONE_COMMAND })
    const watched = await watchSyncs()
    restore = watched.restore
    const policyDir = new DataDir(join(fixture.newWorkspace(), 'policy'))
    const gate = new ApprovalBroker({ policy: new TetherPolicy({ dataDir: policyDir }), asker: { ask: async () => ({ decision: 'allow', scope: 'once', message: null }) } })
    const driver = await fixture.start('Make a file.', { gate, approvalMode: 'ask-always' })
    const counts = syncCountsAroundFirstCalls(driver, watched.syncs)
    expect(await driver.run()).toBe('completed')
    await driver.close()

    const log = readFileSync(driver.logPath, 'utf8').trimEnd()
    const callId = driver.state.toolCallOrder[0]!
    const syncedSizes = watched.syncs.filter((sync) => sync.path === driver.logPath).map((sync) => sync.size)
    const firstSyncCovering = (type: string): number | undefined => syncedSizes.find((size) => size >= lineEnd(log, type, callId))
    expect(driver.state.approvals[callId]?.decision).toMatchObject({ decision: 'allow', by: 'person' })
    // The request alone, then the decision with tool.started; tool.finished follows the output out.
    expect(counts.atSecondRequest! - counts.atCompleted!).toBe(2)
    expect(firstSyncCovering('approval.requested')).toBeLessThan(lineEnd(log, 'approval.decided', callId))
    expect(firstSyncCovering('approval.decided')).toBe(firstSyncCovering('tool.started'))
    expect(fixture.read('made.txt')).toBe('')
  })
})
