// What the host asks of the process launcher, and what it hears back, over the tool side's channel
// envelope (plain JSON: bytes travel as base64).
import type { ChannelTypes } from '../tools/channel/channel-protocol'

export interface LaunchRequest {
  file: string
  args: string[]
  cwd: string
  /** The whole environment of the process: nothing is inherited from the launcher. */
  env: Record<string, string>
  /** Standard input as base64, written and closed at once; null: no standard input. */
  input: string | null
  /** At most this many bytes of standard output are sent; a program that writes more is stopped. Null: no bound. */
  maxStdoutBytes: number | null
  /** At most this many bytes of standard error are sent; the rest is read and dropped. Null: no bound. */
  maxStderrBytes: number | null
}

export type LaunchProgress =
  /** The program's process id, which is also its process group's. */
  | { kind: 'started'; pid: number }
  | { kind: 'stdout'; data: string }
  | { kind: 'stderr'; data: string }

/** How the process ended; its process group is killed by then, so nothing it started outlives it. */
export interface LaunchExit {
  code: number | null
  signal: string | null
}

export interface LauncherChannel extends ChannelTypes {
  request: LaunchRequest
  reply: LaunchExit
  progress: LaunchProgress
}
