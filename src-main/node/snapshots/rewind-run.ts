// Rewinding a run that no process is driving (the `tether rewind` command, or the app for a run
// it is not holding): its checkpoints are opened just for the rewind, and the rewind is appended
// to the run's log.
import type { RunRecord, WorkspaceRewoundRecord } from '../../common/run/records'
import { CHECKPOINT_PATHS_CAP } from '../../common/run/records'
import type { DataDir } from '../store/data-dir'
import { RunLogWriter } from '../store/run-log-writer'
import { readCheckpointLog } from './checkpoint-log'
import { planRewind, RewindError, rewindTo, type RewindReport } from './rewind'
import { SnapshotStore } from './snapshot-store'
import { WorkspaceCheckpoints } from './workspace-checkpoints'

export function rewoundRecord(report: RewindReport): WorkspaceRewoundRecord {
  const changed = report.outcome?.changed ?? []
  return {
    type: 'workspace.rewound',
    beforeCallId: report.beforeCallId,
    changed: changed.slice(0, CHECKPOINT_PATHS_CAP),
    changedCount: changed.length,
    failed: (report.outcome?.failed ?? []).slice(0, CHECKPOINT_PATHS_CAP)
  }
}

/** Rewinds, and (unless it is a dry run) appends the rewind to the run's log; returns the record appended. */
export async function rewindStoppedRun(
  dataDir: DataDir,
  runId: string,
  workspace: string,
  callId: string,
  dryRun: boolean
): Promise<{ report: RewindReport; record: RunRecord | null }> {
  const store = new SnapshotStore(dataDir.snapshots)
  const lines = await readCheckpointLog(store.checkpointLog(runId))
  if (lines.length === 0) throw new RewindError(`run ${runId} has no checkpoints (it made no calls that change files, or it ran before checkpoints were kept)`)
  if (dryRun) return { report: { beforeCallId: callId, plan: await planRewind(workspace, store.objects, store.checkpointLog(runId), callId), outcome: null }, record: null }
  const holder = await store.liveHolder(runId)
  if (holder !== null && holder !== process.pid) {
    throw new RewindError(`run ${runId} is open in process ${holder} (the app or a \`tether run\`): rewind it there, or stop that process first`)
  }
  const checkpoints = await WorkspaceCheckpoints.open(store, runId, workspace)
  let report: RewindReport
  try {
    report = await rewindTo(checkpoints, callId, false)
  } finally {
    await checkpoints.close()
  }
  const { writer } = await RunLogWriter.openExisting(dataDir.runLog(runId))
  try {
    return { report, record: await writer.appendDurable(rewoundRecord(report)) }
  } finally {
    await writer.close()
  }
}
