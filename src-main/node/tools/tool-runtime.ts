// The one interface between the run driver and the tools. The driver decides *whether* a
// call runs (policy, approvals, the ledger in the run log); the runtime decides *how*.
import type { ApprovalMode, ToolCallStatus } from '../../common/run/records'
import type { PreparedCall } from './registry/define-tool'
import type { ToolRegistry } from './registry/tool-registry'

export interface RunToolContext {
  runId: string
  /** Absolute, real path of the repository the run works in. */
  workspace: string
  /** Where artifacts (full outputs) of this run go. */
  artifactsDir: string
  networkAllowlist: string[]
  /** Set only by the explicit "run without the OS sandbox" setting; every command then asks. */
  unsandboxed: boolean
}

export interface ToolCallRequest {
  runId: string
  callId: string
  /** Checked by the registry before the call was judged. */
  call: PreparedCall
}

export interface ToolCallResult {
  status: Exclude<ToolCallStatus, 'denied'>
  exitCode: number | null
  /** Exactly what the model receives as `function_call_output.output` (bounded). */
  output: string
  artifactPath: string | null
  durationMs: number
  /** Time spent waiting for the tool host (spawn, queueing) before the tool itself ran. */
  hostWaitMs: number
}

export interface ToolCallObserver {
  /** Raw output as it is produced (PTY bytes as text), for the terminal view. */
  onOutput?: (data: string) => void
  /** Aborting interrupts the call: every process it started dies. */
  signal?: AbortSignal
}

/** What the policy needs to judge a call, derived from validated arguments. */
export type ToolCallSubject =
  | { kind: 'shell'; command: string }
  | { kind: 'script'; code: string }
  | { kind: 'read'; path: string }
  | { kind: 'write'; path: string }
  /** A tool of an MCP server: judged by the server's annotations and the person's rules, not by its arguments. */
  | { kind: 'mcp'; server: string; tool: string; arguments: string; readOnly: boolean; sandboxed: boolean }
  | { kind: 'invalid'; message: string }

export interface ToolRuntime {
  /** The tools this runtime runs: their definitions are sent with every request, and calls are prepared with it. */
  readonly registry: ToolRegistry
  /** Opens the per-run state (the persistent shell and its sandbox). Fails closed when the sandbox cannot start. */
  openRun(context: RunToolContext): Promise<void>
  execute(request: ToolCallRequest, observer?: ToolCallObserver): Promise<ToolCallResult>
  closeRun(runId: string): Promise<void>
  close(): Promise<void>
}

export type { ApprovalMode }
