import { describe, expect, it } from 'vitest'
import type { RunRecordBody } from './records'
import { syncPointOf, type SyncFacts } from './sync-point'

const call = { callId: 'call_1', name: 'shell', arguments: '{}' }
const finished: RunRecordBody = { type: 'tool.finished', callId: 'call_1', status: 'ok', exitCode: 0, output: '', durationMs: 1, artifactPath: null }
const request: RunRecordBody = { type: 'approval.requested', callId: 'call_1', tool: 'shell', subject: 'ls', risk: 'ask', reasons: [], subcommands: [], sandboxed: true, suggestedRule: null }

describe('syncPointOf', () => {
  it('waits for the disk where an effect or a question follows, and only there', () => {
    const points = (facts: SyncFacts) => ({
      started: syncPointOf({ type: 'tool.started', ...call }, facts),
      finished: syncPointOf(finished, facts),
      request: syncPointOf(request, facts)
    })
    expect(points({})).toEqual({ started: 'wait', finished: 'next', request: 'wait' })
    expect(points({ durability: 'effectful' })).toEqual({ started: 'wait', finished: 'begin', request: 'wait' })
    expect(points({ durability: 'read-only' })).toEqual({ started: 'next', finished: 'next', request: 'wait' })
    expect(points({ decidedAtOnce: true })).toEqual({ started: 'wait', finished: 'next', request: 'next' })
  })

  it("syncs the person's input and the run's life, and nothing the run can make again", () => {
    const bodies: RunRecordBody[] = [
      { type: 'user.input', kind: 'task', text: 'Fix it' },
      { type: 'run.resumed', reason: 'restart' },
      { type: 'run.finished', outcome: 'completed', reason: null },
      { type: 'log.repaired', truncatedBytes: 3, reason: 'torn' },
      { type: 'run.started', runId: 'r', workspace: '/w', provider: { name: 'sim', baseUrl: 'http://x' }, model: 'm', settings: { transport: 'ws', store: false, approvalMode: 'ask-risky', networkAllowlist: [], instructions: '' }, tools: [] },
      { type: 'approval.decided', callId: 'call_1', decision: 'allow', scope: 'once', message: null, rule: null, by: 'person' },
      { type: 'tool.output', callId: 'call_1', data: 'x' },
      { type: 'transport.changed', state: 'connected', transport: 'ws', attempt: null, maxAttempts: null, reason: null }
    ]
    expect(bodies.map((body) => [body.type, syncPointOf(body)])).toEqual([
      ['user.input', 'wait'],
      ['run.resumed', 'wait'],
      ['run.finished', 'wait'],
      ['log.repaired', 'wait'],
      ['run.started', 'next'],
      ['approval.decided', 'next'],
      ['tool.output', 'next'],
      ['transport.changed', 'next']
    ])
  })
})
