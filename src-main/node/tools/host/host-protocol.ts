// What the runtime (in the app process) and the tool host say to each other, inside the child
// channel's envelope (channel/channel-protocol.ts): requests, their replies, and terminal output as
// a call's progress. Interrupting a call cancels its request.
import type { ChannelTypes } from '../channel/channel-protocol'
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
  /** Tether's data dir: hidden as a whole inside the sandbox and from the file tools; a workspace may not hold it. */
  dataDir: string | null
  /** The person's home: the sandbox sees an empty one with only `homeAllowlist` shown, read-only. */
  home: string
  /** Folders of the home (relative to it) shown read-only inside the sandbox. */
  homeAllowlist: string[]
  /** Name and email for commits made inside the sandbox (its home has no ~/.gitconfig); null for none. */
  gitIdentity: GitIdentity | null
  /** More paths that can be neither read nor written (e.g. a token store outside the home). */
  hiddenPaths: string[]
  tools: HostTools
  limits: ToolLimits
}

export interface GitIdentity {
  name: string
  email: string
}

export type HostToolResult = Omit<ToolCallResult, 'hostWaitMs'> & {
  /** Time spent queued inside the host behind another call of the same run. */
  queuedMs: number
}

export type ToolHostRequest =
  | { type: 'open-run'; run: HostRunConfig }
  /** `args` were checked against the tool's schema in the app process; the host checks them again. */
  | { type: 'execute'; runId: string; callId: string; tool: string; args: unknown }
  | { type: 'close-run'; runId: string }

export type ToolHostReply = { type: 'executed'; result: HostToolResult } | { type: 'completed' }

export interface ToolHostChannel extends ChannelTypes {
  request: ToolHostRequest
  reply: ToolHostReply
  /** Raw terminal output of the call the request runs. */
  progress: string
}
