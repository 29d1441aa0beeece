// An MCP tool call end to end: the model (the sim) calls a tool of the test server, the approval
// broker asks the person (scripted here) for the writing tool and not for the read-only one, the
// call runs in the sandboxed server, and its result goes back to the model.
import { realpathSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Scenario } from '../../../sim'
import type { ApprovalRequestedRecord } from '../../common/run/records'
import type { ApprovalAsker } from '../policy/approval-asker'
import { ApprovalBroker } from '../policy/approval-broker'
import type { PersonDecision } from '../policy/approval-policy'
import { TetherPolicy } from '../policy/tether-policy'
import { driverFixture, type DriverFixture } from '../../test-support/driver/driver-fixture'
import type { ParsedMcpConfig } from './mcp-config'
import { startRunMcp, type RunMcp } from './run-mcp'

const SERVER_SCRIPT = join(import.meta.dirname, '../../test-support/mcp/workspace-mcp-server.mjs')
// The server's own files, shown to it wherever the project is checked out (see mcp-servers.test.ts).
const PROJECT_ROOT = realpathSync(join(import.meta.dirname, '../../..'))
const PERSONAL: ParsedMcpConfig = {
  servers: [{ transport: 'stdio', name: 'notes', source: 'personal', command: process.execPath, args: [SERVER_SCRIPT], env: {}, allowedHosts: [], readablePaths: [PROJECT_ROOT] }],
  problems: []
}

const NOTES_SCENARIO: Scenario = {
  name: 'mcp-notes',
  turns: [
    { output: [{ type: 'function_call', name: 'mcp__notes__read_note', arguments: { path: 'notes.txt' } }] },
    { output: [{ type: 'function_call', name: 'mcp__notes__write_note', arguments: { path: 'summary.txt', text: 'milk' } }] },
    { output: [{ type: 'message', text: 'Noted.' }] }
  ]
}

class ScriptedPerson implements ApprovalAsker {
  readonly asked: ApprovalRequestedRecord[] = []
  constructor(private readonly answer: PersonDecision) {}
  async ask(question: { request: ApprovalRequestedRecord }): Promise<PersonDecision> {
    this.asked.push(question.request)
    return this.answer
  }
}

let fixture: DriverFixture | null = null
let mcp: RunMcp | null = null
afterEach(async () => {
  if (mcp !== null && mcp.tools !== fixture?.tools) await mcp.tools.close()
  await fixture?.cleanup()
  fixture = null
  mcp = null
})

async function runWith(person: ScriptedPerson): Promise<{ outcome: string; fixture: DriverFixture; driver: Awaited<ReturnType<DriverFixture['start']>> }> {
  fixture = await driverFixture({ scenario: NOTES_SCENARIO }, { 'notes.txt': 'buy milk\n' })
  mcp = await startRunMcp(fixture.tools, { personal: PERSONAL, project: { state: 'absent' }, allowProject: false }, { workspace: fixture.workspace, dataDir: fixture.dataDir.root, options: { scratchDir: join(fixture.workspace, '..') } })
  const gate = new ApprovalBroker({ policy: new TetherPolicy({ dataDir: fixture.dataDir }), asker: person })
  const driver = await fixture.start('Summarise my notes.', { tools: mcp.tools, mcp: mcp.report ?? undefined, gate, approvalMode: 'ask-risky' })
  const outcome = await driver.run()
  await driver.close()
  return { outcome, fixture, driver }
}

function outputsSent(fixture: DriverFixture): string[] {
  return fixture.sim.received.flatMap((message) => {
    const body = message.body as { input?: { type: string; output?: string }[] } | undefined
    return (body?.input ?? []).filter((item) => item.type === 'function_call_output').map((item) => item.output ?? '')
  })
}

describe('an MCP tool call from the model through approvals into the sandboxed server and back', () => {
  it('runs the read-only tool unasked, asks for the writing one, and returns both results to the model', async () => {
    const person = new ScriptedPerson({ decision: 'allow', scope: 'once', message: null })
    const { outcome, fixture, driver } = await runWith(person)
    expect(outcome).toBe('completed')
    expect(person.asked).toEqual([
      {
        type: 'approval.requested',
        callId: expect.any(String),
        tool: 'mcp__notes__write_note',
        subject: 'notes › write_note {"path":"summary.txt","text":"milk"}',
        risk: 'ask',
        reasons: ['calls the tool "write_note" of the MCP server "notes", which runs inside the OS sandbox', 'the server does not mark this tool read-only'],
        subcommands: [],
        sandboxed: true,
        suggestedRule: ['mcp:notes', 'write_note']
      }
    ])
    expect(fixture.read('summary.txt')).toBe('milk')
    expect(outputsSent(fixture)).toEqual(['buy milk\n', 'wrote 4 bytes to summary.txt'])
    expect(driver.state.tools.map((tool) => tool.name)).toContain('mcp__notes__write_note')
    expect(driver.state.settings?.mcp).toEqual({
      servers: [{ name: 'notes', source: 'personal', transport: 'stdio', sandboxed: true, tools: expect.arrayContaining(['mcp__notes__read_note']), problem: null }],
      problems: []
    })
  })

  it('tells the model when the person denies the call, and the server never sees it', async () => {
    const person = new ScriptedPerson({ decision: 'deny', scope: 'once', message: 'not now' })
    const { outcome, fixture } = await runWith(person)
    expect(outcome).toBe('completed')
    expect(outputsSent(fixture)).toEqual(['buy milk\n', 'The person denied this MCP tool call: not now'])
    expect(() => fixture.read('summary.txt')).toThrow(/ENOENT/)
  })

  it('lets a saved rule naming the server allow its tools without asking', async () => {
    const person = new ScriptedPerson({ decision: 'deny', scope: 'once', message: null })
    fixture = await driverFixture({ scenario: NOTES_SCENARIO }, { 'notes.txt': 'buy milk\n' })
    const policy = new TetherPolicy({ dataDir: fixture.dataDir })
    await policy.rules.add(fixture.workspace, { decision: 'allow', prefix: ['mcp:notes'] })
    mcp = await startRunMcp(fixture.tools, { personal: PERSONAL, project: { state: 'absent' }, allowProject: false }, { workspace: fixture.workspace, dataDir: fixture.dataDir.root, options: { scratchDir: join(fixture.workspace, '..') } })
    const driver = await fixture.start('Summarise my notes.', { tools: mcp.tools, mcp: mcp.report ?? undefined, gate: new ApprovalBroker({ policy, asker: person }), approvalMode: 'ask-risky' })
    expect(await driver.run()).toBe('completed')
    await driver.close()
    expect(person.asked).toEqual([])
    expect(fixture.read('summary.txt')).toBe('milk')
    const decided = Object.values(driver.state.approvals).map((approval) => approval.decision)
    expect(decided).toEqual([expect.objectContaining({ decision: 'allow', by: 'rule', rule: ['mcp:notes'] })])
  })
})
