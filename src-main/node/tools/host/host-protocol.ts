// The messages between the runtime (in the main process) and the tool host: closed unions, one
// request id per request, every request answered exactly once (or failed when the host dies).
import type { CaptureLimits } from '../output/output-capture'
import type { ToolCallResult } from '../tool-runtime'

export interface ScriptLimits {
  memoryMb: number
  cpuMs: number
  wallMs: number
  /** Cap on captured console output, in characters. */
  logChars: number
  /** Cap on the serialized result, in characters. */
  resultChars: number
}

export interface ToolLimits {
  capture: CaptureLimits
  /** Raw terminal output forwarded per call to the terminal view; the artifact keeps the rest. */
  rawOutputChars: number
  script: ScriptLimits
}

export interface HostTools {
  bwrapPath: string
  socatPath: string
  ripgrepPath: string
}

export interface HostRunConfig {
  runId: string
  workspace: string
  artifactsDir: string
  networkAllowlist: string[]
  unsandboxed: boolean
  /** The run's scratch directory (created by the runtime): `control/` and `tmp/` live in it. */
  runDir: string
  /** Paths that stay read-only inside the sandbox and for the file tools (Tether's data dir). */
  readOnlyPaths: string[]
  /** Paths that can be neither read nor written (credentials, the token store). */
  hiddenPaths: string[]
  tools: HostTools
  limits: ToolLimits
}

export type HostToolResult = Omit<ToolCallResult, 'hostWaitMs'> & {
  /** Time spent queued inside the host behind another call of the same run. */
  queuedMs: number
}

export type HostRequest =
  | { type: 'open-run'; requestId: number; run: HostRunConfig }
  /** `args` were checked against the tool's schema in the app process; the host checks them again. */
  | { type: 'execute'; requestId: number; runId: string; callId: string; tool: string; args: unknown }
  | { type: 'interrupt'; requestId: number; target: number }
  | { type: 'close-run'; requestId: number; runId: string }

export type HostEvent =
  | { type: 'ready'; pid: number }
  | { type: 'output'; requestId: number; data: string }
  | { type: 'executed'; requestId: number; result: HostToolResult }
  | { type: 'completed'; requestId: number }
  | { type: 'failed'; requestId: number; message: string }
