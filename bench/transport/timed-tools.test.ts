import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { builtinTools } from '../../src-main/node/tools/builtin'
import type { ToolCallRequest, ToolCallResult, ToolRuntime } from '../../src-main/node/tools/tool-runtime'
import { TimedToolRuntime } from './timed-tools'

/** A runtime whose calls end when `wait` resolves (20 ms each by default) and report `runMs` of their own time. */
function slowRuntime(runMs: number, wait: () => Promise<unknown> = () => sleep(20)): ToolRuntime {
  return {
    registry: builtinTools,
    openRun: () => sleep(5),
    execute: async (request: ToolCallRequest): Promise<ToolCallResult> => {
      await wait()
      return { status: request.callId.startsWith('fail') ? 'error' : 'ok', exitCode: 0, output: '', artifactPath: null, durationMs: runMs, hostWaitMs: 0 }
    },
    closeRun: async () => {},
    close: async () => {}
  }
}

const call = (callId: string): ToolCallRequest => ({ runId: 'r1', callId, call: builtinTools.prepareOrThrow('list_dir', '{"path":"."}') })

describe('TimedToolRuntime', () => {
  it('sums the tool host time of calls one after another, and the round trip around them', async () => {
    const tools = new TimedToolRuntime(slowRuntime(10))
    await tools.openRun({ runId: 'r1', workspace: '/w', artifactsDir: '/a', networkAllowlist: [], unsandboxed: false })
    await tools.execute(call('a'))
    await tools.execute(call('fail-b'))
    const times = tools.take('r1')
    expect({ calls: times.calls, toolMs: times.toolMs, notOk: times.notOk }).toEqual({ calls: 2, toolMs: 20, notOk: 1 })
    expect(times.setupMs).toBeGreaterThanOrEqual(4)
    expect(times.hostRoundTripMs).toBeGreaterThanOrEqual(19)
  })

  it('counts calls that ran at the same time once', async () => {
    // All three end in the same instant however busy the machine, so their 15 ms overlap exactly.
    const together = sleep(20)
    const tools = new TimedToolRuntime(slowRuntime(15, () => together))
    await Promise.all([tools.execute(call('a')), tools.execute(call('b')), tools.execute(call('c'))])
    const times = tools.take('r1')
    expect(times.calls).toBe(3)
    expect(times.toolMs).toBeGreaterThanOrEqual(15)
    expect(times.toolMs).toBeLessThan(30)
  })

  it('forgets a run once taken', async () => {
    const tools = new TimedToolRuntime(slowRuntime(1))
    await tools.execute(call('a'))
    tools.take('r1')
    expect(tools.take('r1')).toEqual({ calls: 0, toolMs: 0, setupMs: 0, hostRoundTripMs: 0, notOk: 0 })
  })
})
