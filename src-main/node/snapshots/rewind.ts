// Puts a workspace back as it was before a call: a full read of the workspace as it is now
// (kept as a checkpoint too, so a rewind can itself be undone by rewinding to a later call), the
// plan from there to the checkpoint taken before the call, and, unless it is a dry run, the plan
// carried out.
import { GitignoreRules } from './gitignore-rules'
import { manifestAt, readCheckpointLog, type CheckpointLine } from './checkpoint-log'
import type { Manifest } from './manifest'
import type { ObjectStore } from './object-store'
import { applyRestore, planRestore, type RestoreOutcome, type RestorePlan } from './restore'
import { scanSubtree } from './scan'
import { StoreBudget } from './store-budget'
import type { WorkspaceCheckpoints } from './workspace-checkpoints'

export class RewindError extends Error {}

export interface RewindReport {
  beforeCallId: string
  plan: RestorePlan
  /** Null for a dry run. */
  outcome: RestoreOutcome | null
}

/** The checkpoints a run can be rewound to: one before each call that may change files. */
export function rewindPoints(lines: CheckpointLine[]): CheckpointLine[] {
  return lines.filter((line) => line.label === 'before' && line.callId !== null)
}

export function pointBefore(lines: CheckpointLine[], callId: string): CheckpointLine {
  const point = rewindPoints(lines).findLast((line) => line.callId === callId)
  if (!point) throw new RewindError(`no checkpoint before call ${callId} (\`tether rewind RUN_ID --list\` shows the calls that have one)`)
  return point
}

/** The workspace as it is now, read in full against the run's last checkpoint; writes only to the object store. */
export async function readWorkspaceNow(workspace: string, objects: ObjectStore, lines: CheckpointLine[]): Promise<Manifest> {
  const known = manifestAt(lines, lines.length - 1)
  const current = known.clone()
  const rules = new GitignoreRules(workspace, { manifest: manifestAt(lines, 0), objects })
  current.apply(await scanSubtree({ root: workspace, rules, objects, budget: new StoreBudget(objects.root) }, '', known))
  return current
}

/** What rewinding to before `callId` would change, without changing anything. */
export async function planRewind(workspace: string, objects: ObjectStore, logPath: string, callId: string): Promise<RestorePlan> {
  const lines = await readCheckpointLog(logPath)
  const point = pointBefore(lines, callId)
  return planRestore(await readWorkspaceNow(workspace, objects, lines), manifestAt(lines, point.n))
}

/** Rewinds a workspace whose checkpoints `checkpoints` keeps. */
export async function rewindTo(checkpoints: WorkspaceCheckpoints, callId: string, dryRun: boolean): Promise<RewindReport> {
  pointBefore(await readCheckpointLog(checkpoints.logPath), callId)
  await checkpoints.rescan()
  const lines = await readCheckpointLog(checkpoints.logPath)
  const plan = planRestore(checkpoints.manifest, manifestAt(lines, pointBefore(lines, callId).n))
  if (dryRun) return { beforeCallId: callId, plan, outcome: null }
  const outcome = await applyRestore(checkpoints.workspace, plan, checkpoints.objects)
  await checkpoints.rescan('restored')
  return { beforeCallId: callId, plan, outcome }
}
