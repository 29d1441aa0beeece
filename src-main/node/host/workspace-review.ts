// Review and undo for the app: the Changes view of a run, reverting a hunk or a file, and
// rewinding to before a call. Everything reads Tether's own snapshot store; a run this host holds
// uses its live checkpoints, any other run its checkpoint log and a full read of the workspace.
import type { ChangedFile, ChangesView, HunkRef, RewindPreview, RewindResult } from '../../common/api/contract'
import { revertHunk } from '../../common/review/file-hunks'
import { createHash } from 'node:crypto'
import { manifestAt, readCheckpointLog } from '../snapshots/checkpoint-log'
import type { SnapshotEntry } from '../snapshots/entry'
import type { Manifest } from '../snapshots/manifest'
import { applyRestore, describeStep, type RestoreStep } from '../snapshots/restore'
import { planRewind, readWorkspaceNow, RewindError, rewindTo } from '../snapshots/rewind'
import { rewindStoppedRun, rewoundRecord } from '../snapshots/rewind-run'
import { SnapshotStore } from '../snapshots/snapshot-store'
import { changedFiles, differingPaths } from '../snapshots/workspace-changes'
import { escapePath } from '../../common/text/display-text'
import type { DataDir } from '../store/data-dir'
import { ApplyError, applyRunChanges } from '../repo/apply-run'
import { CommitError, commitRunChanges } from '../repo/commit-changes'
import { repositoryOfRun } from '../repo/run-worktree'
import { GitLayoutError } from '../git/git-repository'
import { GitError } from '../git/git-runner'
import { HostError } from './host-error'
import type { RunManager } from './run-manager'

interface Sides {
  workspace: string
  base: Manifest
  current: Manifest
}

export class WorkspaceReview {
  #dataDir: DataDir
  #runs: RunManager
  #store: SnapshotStore

  constructor(dataDir: DataDir, runs: RunManager) {
    this.#dataDir = dataDir
    this.#runs = runs
    this.#store = new SnapshotStore(dataDir.snapshots)
  }

  async changes(runId: string): Promise<ChangesView> {
    const sides = await this.#sides(runId)
    if ('reason' in sides) return { available: false, reason: sides.reason }
    const { files, truncated } = await changedFiles(sides.base, sides.current, this.#store.objects)
    return { available: true, baseline: 'run-start', files, truncated }
  }

  /** Puts a hunk, or a whole file, back as the run found it. */
  async revert(runId: string, path: string, hunk: HunkRef | null): Promise<ChangesView> {
    this.#refuseWhileRunning(runId, 'revert')
    const sides = await this.#sides(runId)
    if ('reason' in sides) throw new HostError('not_found', sides.reason)
    const { files } = await changedFiles(sides.base, sides.current, this.#store.objects)
    const file = files.find((candidate) => candidate.path === path)
    if (!file) throw new HostError('not_found', `${escapePath(path)} has no change to revert`)
    const steps: RestoreStep[] = []
    if (hunk === null) {
      for (const target of file.oldPath === null ? [path] : [path, file.oldPath]) {
        const to = sides.base.get(target) ?? null
        if (to?.kind === 'file' && to.hash === null) throw new HostError('conflict', `${escapePath(target)} cannot be put back: ${to.note ?? 'its content was not kept'}`)
        steps.push({ path: target, from: sides.current.get(target) ?? null, to })
      }
    } else {
      const current = sides.current.get(path)
      if (file.before === null || file.after === null || current?.kind !== 'file') throw new HostError('conflict', `${escapePath(path)} has no text hunks to revert`)
      const reverted = revertHunk(file.before, file.after, hunk)
      if (reverted === null) throw new HostError('conflict', `${escapePath(path)} changed since the view was shown; reload it`)
      const content = Buffer.from(reverted, 'utf8')
      const hash = createHash('sha256').update(content).digest('hex')
      await this.#store.objects.put(hash, content)
      await this.#store.objects.flush()
      const to: SnapshotEntry = { kind: 'file', mode: current.mode, size: content.length, hash, note: null, stat: '' }
      steps.push({ path, from: current, to })
    }
    const outcome = await applyRestore(sides.workspace, { steps, unrestorable: [] }, this.#store.objects)
    if (outcome.failed.length > 0) throw new HostError('conflict', outcome.failed.map((failure) => `${escapePath(failure.path)}: ${failure.reason}`).join('; '))
    return this.changes(runId)
  }

  async previewRewind(runId: string, callId: string): Promise<RewindPreview> {
    const workspace = await this.#workspaceOf(runId)
    try {
      const plan = await planRewind(workspace, this.#store.objects, this.#store.checkpointLog(runId), callId)
      return {
        callId,
        steps: plan.steps.map((step) => ({ path: step.path, action: describeStep(step).split(' ')[0]! })),
        unrestorable: plan.unrestorable
      }
    } catch (error) {
      if (error instanceof RewindError) throw new HostError('not_found', error.message)
      throw error
    }
  }

  async rewind(runId: string, callId: string): Promise<RewindResult> {
    this.#refuseWhileRunning(runId, 'rewind')
    const workspace = await this.#workspaceOf(runId)
    try {
      const held = await this.#runs.checkpointsOf(runId)
      if (held) {
        const report = await rewindTo(held, callId, false)
        await this.#runs.recordHeld(runId, rewoundRecord(report))
        return { changed: report.outcome!.changed, failed: report.outcome!.failed }
      }
      const { report, record } = await rewindStoppedRun(this.#dataDir, runId, workspace, callId, false)
      if (record) this.#runs.forward(runId, record)
      return { changed: report.outcome!.changed, failed: report.outcome!.failed }
    } catch (error) {
      if (error instanceof RewindError) throw new HostError('conflict', error.message)
      throw error
    }
  }

  async apply(runId: string): Promise<{ applied: string[] }> {
    this.#refuseWhileRunning(runId, 'apply its changes')
    const { state } = await this.#runs.snapshot(runId)
    if (!state.worktree || !state.workspace) throw new HostError('invalid_request', 'this run worked in the repository itself: its changes are already there')
    let report
    try {
      report = await applyRunChanges(this.#store, runId, state.workspace, state.worktree.repo, false)
    } catch (error) {
      if (error instanceof ApplyError) throw new HostError('not_found', error.message)
      throw error
    }
    if (report.conflicts.length > 0) {
      const paths = report.conflicts.map((conflict) => `${escapePath(conflict.path)} (${conflict.reason})`).join(', ')
      throw new HostError('conflict', `Nothing was applied: ${paths}. Commit, stash or undo those changes first.`)
    }
    const failed = report.outcome?.failed ?? []
    if (failed.length > 0) throw new HostError('conflict', failed.map((failure) => `${escapePath(failure.path)}: ${failure.reason}`).join('; '))
    return { applied: report.outcome?.changed ?? [] }
  }

  /** The run's changes, for drafting a commit message. */
  async changedFiles(runId: string): Promise<ChangedFile[]> {
    const view = await this.changes(runId)
    if (!view.available) throw new HostError('not_found', view.reason)
    return view.files
  }

  async commit(runId: string, message: string, newBranch: string | null): Promise<{ commit: string; branch: string; paths: string[] }> {
    this.#refuseWhileRunning(runId, 'commit')
    const sides = await this.#sides(runId)
    if ('reason' in sides) throw new HostError('not_found', sides.reason)
    // Git takes paths as text: a name that is not UTF-8 would be committed under another name.
    const undecodable = differingPaths(sides.base, sides.current).find((path) => /[\udc80-\udcff]/.test(path))
    if (undecodable !== undefined) throw new HostError('conflict', `${escapePath(undecodable)} cannot be committed: its name is not UTF-8 (rename it, or revert it, first)`)
    const { state } = await this.#runs.snapshot(runId)
    try {
      const repo = await repositoryOfRun(sides.workspace, state.worktree)
      if (repo === null) throw new CommitError(`${sides.workspace} is not in a git repository`)
      return await commitRunChanges(repo, sides.workspace, sides.base, sides.current, this.#store.objects, { message, newBranch })
    } catch (error) {
      if (error instanceof CommitError || error instanceof GitLayoutError || error instanceof GitError) throw new HostError('conflict', error.message)
      throw error
    }
  }

  #refuseWhileRunning(runId: string, what: string): void {
    if (this.#runs.isRunning(runId)) throw new HostError('conflict', `the run is working: interrupt it or let it finish before you ${what}`)
  }

  async #workspaceOf(runId: string): Promise<string> {
    const { state } = await this.#runs.snapshot(runId)
    if (!state.workspace) throw new HostError('not_found', `run ${runId} has no workspace`)
    return state.workspace
  }

  async #sides(runId: string): Promise<Sides | { reason: string }> {
    const workspace = await this.#workspaceOf(runId)
    const held = await this.#runs.checkpointsOf(runId)
    if (held) {
      await held.rescan()
      return { workspace, base: held.base, current: held.manifest }
    }
    const lines = await readCheckpointLog(this.#store.checkpointLog(runId))
    if (lines.length === 0) return { reason: 'Tether kept no snapshot of this workspace for this run (it has not run yet, or it ran before snapshots were kept).' }
    return { workspace, base: manifestAt(lines, 0), current: await readWorkspaceNow(workspace, this.#store.objects, lines) }
  }
}
