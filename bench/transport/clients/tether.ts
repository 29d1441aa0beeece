// Tether's own run driver, as the app runs it: run log with durable tool records, the approval
// gate, the sandboxed tool runtime. Three transports: the persistent WebSocket, HTTP + SSE over a
// kept-alive connection, and HTTP + SSE with a new connection per turn.
import { performance } from 'node:perf_hooks'
import type { Transport } from '../../../src-main/common/run/records'
import { RunDriver } from '../../../src-main/node/driver/run-driver'
import type { DriverServices, RunChoices } from '../../../src-main/node/driver/driver-options'
import { DataDir } from '../../../src-main/node/store/data-dir'
import { BENCH_APPROVAL_MODE } from '../gate'
import type { ConnectionPattern } from '../floor'
import type { BenchClient, ClientId, ClientRunContext, ClientRunResult } from './client'
import { tetherProfile, type StampedRecord } from './tether-profile'

interface TetherVariant {
  id: ClientId
  label: string
  pattern: ConnectionPattern
  continuation: string
  transport: Transport
  newConnectionPerTurn: boolean
}

async function runTether(variant: TetherVariant, context: ClientRunContext): Promise<ClientRunResult> {
  const services: DriverServices = {
    provider: { name: 'custom', baseUrl: context.baseUrl, apiKey: 'bench-key' },
    providerLabel: 'sim',
    unsandboxed: false,
    tools: context.tools,
    gate: context.gate,
    sse: { newConnectionPerTurn: variant.newConnectionPerTurn }
  }
  const choices: RunChoices = {
    model: context.model,
    transport: variant.transport,
    store: false,
    instructions: context.instructions,
    approvalMode: BENCH_APPROVAL_MODE,
    networkAllowlist: []
  }
  const dataDir = new DataDir(context.dataDir)
  const startedAt = performance.now()
  const driver = await RunDriver.start(dataDir, context.workspace, context.task, services, choices)
  const startMs = performance.now() - startedAt
  const stamped: StampedRecord[] = []
  const unsubscribe = driver.subscribe((record) => stamped.push({ at: performance.now(), record }))
  const outcome = await driver.run()
  const endedAt = performance.now()
  unsubscribe()
  await driver.close()
  const decidedBy = (by: 'person' | 'mode' | 'rule'): number => Object.values(driver.state.approvals).filter((approval) => approval.decision?.by === by).length
  if (outcome !== 'completed') throw new Error(`the Tether run ended ${outcome}: ${driver.state.finishReason ?? 'no reason recorded'}`)
  return {
    e2eMs: endedAt - startedAt,
    runId: driver.runId,
    profile: { ...tetherProfile(stamped, startMs, endedAt), approvalsByPerson: decidedBy('person'), approvalsSettled: decidedBy('mode') + decidedBy('rule') }
  }
}

function tetherClient(variant: TetherVariant): BenchClient {
  return { id: variant.id, label: variant.label, pattern: variant.pattern, continuation: variant.continuation, run: (context) => runTether(variant, context) }
}

export const TETHER_CLIENTS: BenchClient[] = [
  tetherClient({
    id: 'tether-ws',
    label: 'Tether, WebSocket',
    pattern: 'websocket',
    continuation: 'new items + previous_response_id (store:false, connection cache)',
    transport: 'ws',
    newConnectionPerTurn: false
  }),
  tetherClient({
    id: 'tether-sse',
    label: 'Tether, HTTP+SSE keep-alive',
    pattern: 'http-keep-alive',
    continuation: 'full transcript (store:false)',
    transport: 'sse',
    newConnectionPerTurn: false
  }),
  tetherClient({
    id: 'tether-sse-per-turn',
    label: 'Tether, HTTP+SSE new connection per turn',
    pattern: 'http-per-turn',
    continuation: 'full transcript (store:false)',
    transport: 'sse',
    newConnectionPerTurn: true
  })
]
