// Which runs need the person: one waiting for an approval they are not looking at, or one that
// finished while they were elsewhere (another run, another tab, another window) and that they have
// not opened since. Pure, so the rules are tested without a page.
import type { RunListItem } from '../../../src-main/common/api/contract'

export type Need = 'approval' | 'finished'

/** Where the person is: the run in view (if any), and whether the page is visible and focused. */
export interface Presence {
  runId: string | null
  present: boolean
}

export function looksAt(presence: Presence, runId: string): boolean {
  return presence.present && presence.runId === runId
}

/** What each run needs from the person, for the runs that need anything. */
export function needsOf(runs: readonly RunListItem[], presence: Presence, finishedUnseen: ReadonlySet<string>): Map<string, Need> {
  const needs = new Map<string, Need>()
  for (const run of runs) {
    if (looksAt(presence, run.id)) continue
    if (run.waitingApprovals > 0) needs.set(run.id, 'approval')
    else if (finishedUnseen.has(run.id)) needs.set(run.id, 'finished')
  }
  return needs
}

export interface RunChange {
  runId: string
  need: Need
}

/**
 * What changed between two listings that the person should hear about: a run that started
 * waiting for (more) approvals, or one that stopped running with an outcome of its own (not one
 * the person caused by interrupting it).
 */
export function changesBetween(before: readonly RunListItem[], after: readonly RunListItem[]): RunChange[] {
  const previous = new Map(before.map((run) => [run.id, run]))
  const changes: RunChange[] = []
  for (const run of after) {
    const was = previous.get(run.id)
    if (run.waitingApprovals > (was?.waitingApprovals ?? 0)) changes.push({ runId: run.id, need: 'approval' })
    else if (was?.running && !run.running && run.status !== 'interrupted' && run.status !== 'unfinished') changes.push({ runId: run.id, need: 'finished' })
  }
  return changes
}

/** The window title: the number of runs that need the person first, e.g. "(2) Tether". */
export function titleWith(count: number): string {
  return count > 0 ? `(${count}) Tether` : 'Tether'
}
