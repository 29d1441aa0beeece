// Brings a worktree run's changes into the person's working tree as uncommitted changes. Every
// path the run changed (its worktree now against the checkout it started from) must be, in the
// person's tree, as the run found it, or already as the run left it; otherwise nothing at all is
// written. No git runs: HEAD, the index and branches stay as they are.
import { manifestAt, readCheckpointLog } from '../snapshots/checkpoint-log'
import { sameContent } from '../snapshots/entry'
import { readEntry } from '../snapshots/entry-reader'
import { applyRestore, type RestoreOutcome, type RestoreStep } from '../snapshots/restore'
import { readWorkspaceNow } from '../snapshots/rewind'
import type { SnapshotStore } from '../snapshots/snapshot-store'
import { differingPaths } from '../snapshots/workspace-changes'

export class ApplyError extends Error {}

export interface ApplyReport {
  /** What applying writes (or wrote), path by path. */
  steps: RestoreStep[]
  /** Paths changed both by the run and in the person's tree since the run started. */
  conflicts: { path: string; reason: string }[]
  /** Null for a dry run, and when conflicts stopped it. */
  outcome: RestoreOutcome | null
}

export async function applyRunChanges(store: SnapshotStore, runId: string, worktree: string, repo: string, dryRun: boolean): Promise<ApplyReport> {
  const lines = await readCheckpointLog(store.checkpointLog(runId))
  if (lines.length === 0) throw new ApplyError(`run ${runId} has no snapshot of its worktree, so there is nothing to apply`)
  const base = manifestAt(lines, 0)
  const current = await readWorkspaceNow(worktree, store.objects, lines)
  const steps: RestoreStep[] = []
  const conflicts: ApplyReport['conflicts'] = []
  for (const path of differingPaths(base, current)) {
    const theirs = (await readEntry(repo, path))?.entry ?? null
    const to = current.get(path) ?? null
    if (sameContent(theirs ?? undefined, to ?? undefined)) continue
    if (!sameContent(theirs ?? undefined, base.get(path))) {
      conflicts.push({ path, reason: theirs === null ? 'deleted in your working tree' : 'changed in your working tree too' })
      continue
    }
    if (to?.kind === 'file' && to.hash === null) {
      conflicts.push({ path, reason: `its content was not kept: ${to.note ?? 'unknown'}` })
      continue
    }
    steps.push({ path, from: theirs, to })
  }
  if (dryRun || conflicts.length > 0) return { steps, conflicts, outcome: null }
  return { steps, conflicts, outcome: await applyRestore(repo, { steps, unrestorable: [] }, store.objects) }
}
