// Where each run record must reach the disk, in one place: the run log writer syncs by it, the
// run driver reaches it through the writer, and the crash tests check against it. The rule:
// a record is synced where an effect follows that a crash must not repeat or lose.
import { assertNever, type RunRecordBody } from './records'

/**
 * What a crash between a call's start and its end may leave behind (each tool declares it).
 * - `read-only`: the call changes nothing; after a crash it may simply run again.
 * - `effectful`: it may change the workspace or the world; it must never run twice.
 */
export type Durability = 'read-only' | 'effectful'

/**
 * - `wait`: synced, and the run acts only once it is on disk (an effect or a question follows).
 * - `begin`: a sync starts as it is written and nothing waits for it (an effectful call's end,
 *   while its output goes to the model: a crash before the sync completes leaves the call started
 *   without an end, which resume reports as an unknown outcome and never re-runs).
 * - `next`: written in order and made durable by the next sync; losing it only repeats work that
 *   changes nothing.
 */
export type SyncPoint = 'wait' | 'begin' | 'next'

/** What the record alone does not say. */
export interface SyncFacts {
  /** For `tool.started` and `tool.finished`: the call's durability. A start without it counts as effectful; an end without it is of a call that never ran. */
  durability?: Durability
  /** For `approval.requested`: a rule or the mode decides at once, so no person is asked and the decision is synced with the call. */
  decidedAtOnce?: boolean
}

export function syncPointOf(body: RunRecordBody, facts: SyncFacts = {}): SyncPoint {
  switch (body.type) {
    // The person's words and the run's life: the app tells them these are safe.
    case 'run.resumed':
    case 'user.input':
    case 'run.finished':
    case 'log.repaired':
    // A rewind changed the person's files.
    case 'workspace.rewound':
      return 'wait'
    // Synced together with the task that always follows it.
    case 'run.started':
      return 'next'
    case 'tool.started':
      return facts.durability === 'read-only' ? 'next' : 'wait'
    case 'tool.finished':
      return facts.durability === 'effectful' ? 'begin' : 'next'
    case 'approval.requested':
      return facts.decidedAtOnce === true ? 'next' : 'wait'
    // A decision is synced with the call's `tool.started`; lost, it is made again the same way (or asked again).
    case 'approval.decided':
    case 'request.sent':
    case 'request.failed':
    case 'retry.scheduled':
    case 'server.event':
    case 'server.malformed':
    case 'tool.output':
    case 'transport.changed':
    case 'metrics.turn':
    case 'metrics.tool':
    case 'metrics.usage':
    // Lost, the run only compacts again (or the server refuses the long context and it compacts then).
    case 'context.compacted':
    // A checkpoint's own data is synced in the snapshot store before its record is written; the
    // record rides on the call's tool.started sync (before) or the next one (after).
    case 'checkpoint.saved':
      return 'next'
    default:
      return assertNever(body, 'run record')
  }
}
