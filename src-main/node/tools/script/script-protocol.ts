// The messages between the tool host and its script runner child.
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

export type RunnerRequest = { type: 'run'; job: ScriptJob } | { type: 'cancel'; jobId: number }

export type RunnerEvent = { type: 'ready' } | { type: 'finished'; jobId: number; report: ScriptReport }
