// Where a Tether run spends its own time, from the records it appends (timestamped as they are
// appended) and the metrics it logs: syncing durable records, the tool host round trip, turning a
// finished response into tool calls, turning tool outputs into the next request.
import type { RunRecord } from '../../../src-main/common/run/records'

export interface StampedRecord {
  at: number
  record: RunRecord
}

export interface TetherProfile {
  /** RunDriver.start: creating the log, syncing run.started and the task. */
  startMs: number
  /**
   * Waiting for tool.started to be on disk (and, for a call that changes something, its
   * checkpoint), summed over calls. A call that waits behind the one before it in its turn counts
   * only from that call's end: calls that change something run one after the other in any client.
   */
  toolStartedSyncMs: number
  /** From appending tool.finished to the driver being done with the call (its sync is not waited on), summed over calls. */
  toolFinishedSyncMs: number
  /** The approval gate, summed over calls. */
  gateMs: number
  /** Execute time seen by the driver minus the tool host's own time, summed over calls. */
  hostRoundTripMs: number
  /** From a response's terminal event to the first tool.started of its calls. */
  responseToToolsMs: number
  /** From the driver being done with the last call of a turn to the next request leaving. */
  toolsToRequestMs: number
  /** From the last terminal event to run() returning (run.finished synced). */
  finishMs: number
  /** Calls started while their response still streamed (reads the gate cleared at once). */
  callsRunEarly: number
}

interface CallTimes {
  emittedAt?: number
  startedAppendedAt?: number
  finishedAppendedAt?: number
  /** When the driver had tool.started where it needs it (on disk for a call that changes something) and when it was done with the call. */
  startedAt?: number
  finishedAt?: number
}

function isTerminal(record: RunRecord): boolean {
  return record.type === 'server.event' && (record.event.type === 'response.completed' || record.event.type === 'response.incomplete' || record.event.type === 'response.failed')
}

function callIdsSentIn(record: Extract<RunRecord, { type: 'request.sent' }>): string[] {
  return record.input.flatMap((item) => (item.type === 'function_call_output' && 'call_id' in item && typeof item.call_id === 'string' ? [item.call_id] : []))
}

export function tetherProfile(stamped: readonly StampedRecord[], startMs: number, runEndedAt: number): TetherProfile {
  const profile: TetherProfile = { startMs, toolStartedSyncMs: 0, toolFinishedSyncMs: 0, gateMs: 0, hostRoundTripMs: 0, responseToToolsMs: 0, toolsToRequestMs: 0, finishMs: 0, callsRunEarly: 0 }
  const calls = new Map<string, CallTimes>()
  const call = (callId: string): CallTimes => {
    let times = calls.get(callId)
    if (!times) calls.set(callId, (times = {}))
    return times
  }

  for (const { at, record } of stamped) {
    if (record.type === 'server.event' && record.event.type === 'response.output_item.done' && record.event.item.type === 'function_call') {
      call(record.event.item.call_id).emittedAt = at
    } else if (record.type === 'tool.started') {
      call(record.callId).startedAppendedAt = at
    } else if (record.type === 'tool.finished') {
      call(record.callId).finishedAppendedAt = at
    } else if (record.type === 'metrics.tool') {
      const times = call(record.callId)
      if (times.emittedAt === undefined || times.startedAppendedAt === undefined || times.finishedAppendedAt === undefined) continue
      times.startedAt = times.emittedAt + record.startedAfterMs
      times.finishedAt = times.emittedAt + record.finishedAfterMs
      profile.toolFinishedSyncMs += times.finishedAt - times.finishedAppendedAt
      profile.gateMs += record.approvalWaitMs
      profile.hostRoundTripMs += times.finishedAppendedAt - times.startedAt - record.runMs
    }
  }

  const ends = [...calls.values()].flatMap((times) => times.finishedAt ?? [])
  for (const times of calls.values()) {
    if (times.startedAt === undefined || times.startedAppendedAt === undefined) continue
    const startedAt = times.startedAt
    const previousEnd = Math.max(...ends.filter((end) => end <= startedAt))
    profile.toolStartedSyncMs += startedAt - Math.max(times.startedAppendedAt, previousEnd)
  }

  let lastTerminalAt: number | null = null
  let awaitingFirstTool = false
  let streaming = false
  for (const { at, record } of stamped) {
    if (record.type === 'server.event' && record.event.type === 'response.created') streaming = true
    if (record.type === 'tool.started' && streaming) profile.callsRunEarly++
    if (isTerminal(record)) {
      streaming = false
      lastTerminalAt = at
      awaitingFirstTool = true
    } else if (record.type === 'tool.started' && awaitingFirstTool && lastTerminalAt !== null) {
      profile.responseToToolsMs += at - lastTerminalAt
      awaitingFirstTool = false
    } else if (record.type === 'request.sent') {
      const finished = callIdsSentIn(record).flatMap((callId) => calls.get(callId)?.finishedAt ?? [])
      if (finished.length > 0) profile.toolsToRequestMs += at - Math.max(...finished)
      awaitingFirstTool = false
    }
  }
  if (lastTerminalAt !== null) profile.finishMs = runEndedAt - lastTerminalAt
  return profile
}
