// Numbers a person asks after a run: how many turns and calls, how long they took, what the
// transport cost. Derived from RunState only.
import type { RunState } from './state'

export interface MetricsSummary {
  turns: number
  incrementalTurns: number
  fullTurns: number
  bytesSent: number
  medianFirstEventMs: number | null
  medianTurnMs: number | null
  toolCalls: number
  medianToolRunMs: number | null
  approvalWaitMs: number
  hostWaitMs: number
  reconnects: number
  rotations: number
  fellBack: boolean
  durationMs: number | null
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

export function summarizeMetrics(state: RunState): MetricsSummary {
  const calls = state.toolCallOrder.map((id) => state.toolCalls[id]).filter((call) => call !== undefined)
  const measured = calls.flatMap((call) => (call.metrics ? [call.metrics] : []))
  const end = state.finishedAt ?? state.lastTs
  return {
    turns: state.turns.length,
    incrementalTurns: state.turns.filter((turn) => turn.mode === 'incremental').length,
    fullTurns: state.turns.filter((turn) => turn.mode === 'full').length,
    bytesSent: state.turns.reduce((sum, turn) => sum + turn.bytes, 0),
    medianFirstEventMs: median(state.turns.flatMap((turn) => (turn.firstEventMs === null ? [] : [turn.firstEventMs]))),
    medianTurnMs: median(state.turns.flatMap((turn) => (turn.durationMs === null ? [] : [turn.durationMs]))),
    toolCalls: calls.length,
    medianToolRunMs: median(measured.map((metrics) => metrics.runMs)),
    approvalWaitMs: measured.reduce((sum, metrics) => sum + metrics.approvalWaitMs, 0),
    hostWaitMs: measured.reduce((sum, metrics) => sum + metrics.hostWaitMs, 0),
    reconnects: state.transport.reconnects,
    rotations: state.transport.rotations,
    fellBack: state.transport.fellBack,
    durationMs: state.startedAt !== null && end !== null ? end - state.startedAt : null
  }
}
