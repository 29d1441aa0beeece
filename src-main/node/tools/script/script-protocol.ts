// What the tool host and its script runner child say to each other, inside the child channel's
// envelope (channel/channel-protocol.ts): a job in, its report out; cancelling the request cancels
// the job.
import type { ChannelTypes } from '../channel/channel-protocol'
import type { ScriptLimits } from '../host/host-protocol'

export interface ScriptJob {
  jobId: number
  code: string
  workspace: string
  hiddenPaths: string[]
  ripgrepPath: string
  limits: ScriptLimits
}

export interface ScriptLog {
  level: 'log' | 'error'
  text: string
}

export type ScriptEnd =
  | { kind: 'returned'; result: string; resultChars: number; truncated: boolean }
  | { kind: 'threw'; error: string }
  | { kind: 'quota'; quota: 'cpu' | 'wall' | 'memory' }
  | { kind: 'cancelled' }

export interface ScriptReport {
  end: ScriptEnd
  logs: ScriptLog[]
  droppedLogChars: number
  cpuMs: number
  wallMs: number
}

export interface ScriptChannel extends ChannelTypes {
  request: ScriptJob
  reply: ScriptReport
  progress: never
}
