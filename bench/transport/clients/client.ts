// A client under test: one full agent run of the scenario against the sim, tool calls executed
// through the shared runtime, timed from before the first connection to the final answer.
import type { ToolGate } from '../../../src-main/node/driver/tool-gate'
import type { ConnectionPattern } from '../floor'
import type { TimedToolRuntime } from '../timed-tools'

export const CLIENT_IDS = ['tether-ws', 'tether-sse', 'tether-sse-per-turn', 'sdk-http', 'sdk-ws', 'agents-ws'] as const
export type ClientId = (typeof CLIENT_IDS)[number]

export interface ClientRunContext {
  /** The sim's base URL (`http://host:port/v1`). */
  baseUrl: string
  /** A fresh copy of the sample repository. */
  workspace: string
  /** A fresh directory for the client's own files: Tether's data dir, the others' tool artifacts. */
  dataDir: string
  task: string
  instructions: string
  model: string
  tools: TimedToolRuntime
  /** Tether's approval gate (the other clients have none). */
  gate: ToolGate
}

export interface ClientRunResult {
  e2eMs: number
  /** The run id the client's tool calls were made under (for the tool timings). */
  runId: string
  /** Where Tether's time went, read from its run log (empty for the other clients). */
  profile: Record<string, number>
}

export interface BenchClient {
  id: ClientId
  label: string
  pattern: ConnectionPattern
  /** What each continuation sends, in a few words (printed beside the results). */
  continuation: string
  run(context: ClientRunContext): Promise<ClientRunResult>
}
