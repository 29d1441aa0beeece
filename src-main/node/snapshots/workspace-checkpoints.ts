// The checkpoints of one live run: one full read of the workspace when the run starts (or
// resumes), then, before and after each call that may change files, only the paths the change
// journal saw change. Each checkpoint is on disk before the call it guards may run.
import { mkdir, realpath } from 'node:fs/promises'
import { escapePath } from '../../common/text/display-text'
import { ChangeJournal } from './change-journal'
import { CheckpointLogWriter, manifestAt, readCheckpointLog, type CheckpointLabel, type CheckpointLine } from './checkpoint-log'
import { isWithinAny, sameContent, type SnapshotEntry } from './entry'
import { GitignoreRules } from './gitignore-rules'
import { Manifest } from './manifest'
import type { ObjectStore } from './object-store'
import type { ReadLimits } from './read-entry'
import { scanPaths, scanSubtree, type ScanContext, type ScanResult } from './scan'
import type { SnapshotStore } from './snapshot-store'
import { StoreBudget, type StoreLimits } from './store-budget'
import { readFingerprints, settledAfterMs, writeFingerprints } from './workspace-fingerprints'

export interface CheckpointOptions {
  limits?: ReadLimits
  storeLimits?: StoreLimits
  /**
   * Whether a new run starts from what the last run in the workspace found, and keeps what it
   * finds for the next one (see workspace-fingerprints); off for a workspace no later run opens
   * (a run's own worktree). On by default.
   */
  reuseFound?: boolean
  /** How long a file must have been left alone before the first read for its entry to be kept; the kernel's writeback times by default. */
  settledMs?: number
}

export interface CheckpointSummary {
  /** The checkpoint's index in the run's checkpoint log. */
  index: number
  /** Paths whose content, kind or mode differ from the checkpoint before, sorted. */
  changed: string[]
  notes: string[]
}

/** The paths of a scan whose content differs from `known` (not only their fingerprint). */
export function changedPaths(delta: Iterable<[string, SnapshotEntry | null]>, known: Manifest): string[] {
  const changed: string[] = []
  for (const [path, entry] of delta) if (!sameContent(known.get(path), entry ?? undefined)) changed.push(path)
  return changed.sort()
}

/** The part of a scan that differs from `known` at all (fingerprints included), as a delta. */
function deltaOf(scan: ScanResult, known: Manifest): [string, SnapshotEntry | null][] {
  const delta: [string, SnapshotEntry | null][] = []
  for (const [path, entry] of scan) {
    const before = known.get(path)
    if (entry === null ? before !== undefined : before === undefined || JSON.stringify(before) !== JSON.stringify(entry)) delta.push([path, entry])
  }
  return delta
}

function inodeOf(entry: SnapshotEntry | undefined): string | null {
  return entry === undefined ? null : entry.stat.slice(0, entry.stat.indexOf(':'))
}

export class WorkspaceCheckpoints {
  readonly runId: string
  readonly workspace: string
  #store: SnapshotStore
  #journal: ChangeJournal
  #log: CheckpointLogWriter
  #manifest: Manifest
  /** The workspace as the run found it (its first checkpoint). */
  #base: Manifest | null
  #context: ScanContext
  /** Checkpoints run one at a time. */
  #queue: Promise<unknown> = Promise.resolve()
  #closed = false
  /** What the scans of the checkpoint being taken could not read. */
  #scanNotes: string[] = []
  #storeLimits: StoreLimits | undefined
  /** The workspace's real path, which names what this run finds for the next run in it. */
  #realWorkspace: string
  /**
   * Entries of paths left alone since this time are kept for the next run; null when nothing is
   * kept (a run taken up again: what it knew was read at times it cannot tell).
   */
  #keepSettledBeforeMs: number | null = null
  /** The latest write of what the run found, and the checkpoint count it was made at. */
  #savingFingerprints: Promise<void> = Promise.resolve()
  #fingerprintsSavedAt = -1

  private constructor(
    runId: string,
    workspace: string,
    store: SnapshotStore,
    journal: ChangeJournal,
    log: CheckpointLogWriter,
    manifest: Manifest,
    base: Manifest | null,
    limits: ReadLimits | undefined,
    storeLimits: StoreLimits | undefined,
    realWorkspace: string
  ) {
    this.runId = runId
    this.workspace = workspace
    this.#store = store
    this.#journal = journal
    this.#log = log
    this.#manifest = manifest
    this.#base = base
    this.#context = {
      root: workspace,
      rules: new GitignoreRules(workspace, base === null ? null : { manifest: base, objects: store.objects }),
      objects: store.objects,
      limits,
      onDirectory: (dir) => journal.watchDirectory(dir),
      note: (text) => this.#scanNotes.push(text)
    }
    this.#storeLimits = storeLimits
    this.#realWorkspace = realWorkspace
  }

  /**
   * Starts keeping checkpoints for `runId` in `workspace`: the first time, a full read becomes the
   * run's base; when the run continues, a full read records what changed while nothing watched.
   */
  static async open(store: SnapshotStore, runId: string, workspace: string, options: CheckpointOptions = {}): Promise<WorkspaceCheckpoints> {
    const { limits, storeLimits } = options
    const startedAt = Date.now()
    const realWorkspace = await realpath(workspace)
    await mkdir(store.runDir(runId), { recursive: true })
    await store.lock(runId)
    let journal: ChangeJournal | null = null
    let log: CheckpointLogWriter | null = null
    try {
      const lines = await readCheckpointLog(store.checkpointLog(runId))
      journal = await ChangeJournal.open(workspace, store.barrierDir(runId))
      log = await CheckpointLogWriter.open(store.checkpointLog(runId), lines.length)
      const base = lines.length > 0 ? manifestAt(lines, 0) : null
      const checkpoints = new WorkspaceCheckpoints(runId, workspace, store, journal, log, manifestAt(lines, lines.length - 1), base, limits, storeLimits, realWorkspace)
      await checkpoints.#start(lines.length === 0, options, startedAt)
      return checkpoints
    } catch (error) {
      // Nothing is kept for a run whose first read failed: no watches, no open log, no lock.
      journal?.close()
      await log?.close().catch(() => undefined)
      await store.unlock(runId).catch(() => undefined)
      throw error
    }
  }

  /** The first full read: the run's base when `fresh`, else what changed while nothing watched. */
  async #start(fresh: boolean, options: CheckpointOptions, startedAt: number): Promise<void> {
    // A new run starts from what the last run in the workspace found; a run taken up again has its own log.
    const settledMs = !fresh || options.reuseFound === false ? null : (options.settledMs ?? (await settledAfterMs(this.#realWorkspace)))
    const found = settledMs === null ? null : await readFingerprints(this.#store.fingerprints(this.#realWorkspace), this.#realWorkspace)
    this.#keepSettledBeforeMs = settledMs === null ? null : startedAt - settledMs
    this.#context.foundBefore = found?.entries
    try {
      await this.#record(fresh ? 'base' : 'rescan', null, null, async () => {
        this.#journal.take()
        const notes = found?.problem ? [found.problem] : []
        return { scan: await scanSubtree(this.#context, '', this.#manifest), notes }
      })
    } finally {
      this.#context.foundBefore = undefined
    }
    this.#saveFingerprints()
    if (this.#base === null) {
      this.#base = this.#manifest.clone()
      this.#context.rules = new GitignoreRules(this.workspace, { manifest: this.#base, objects: this.#store.objects })
    }
  }

  /** The workspace as the run found it. */
  get base(): Manifest {
    return this.#base!
  }

  /** The workspace as the latest checkpoint recorded it (a copy). */
  get manifest(): Manifest {
    return this.#manifest.clone()
  }

  get objects(): ObjectStore {
    return this.#store.objects
  }

  get logPath(): string {
    return this.#log.path
  }

  get count(): number {
    return this.#log.count
  }

  /** Records the workspace now, reading only what changed since the last checkpoint. */
  checkpoint(label: CheckpointLabel, callId: string | null, tool: string | null): Promise<CheckpointSummary> {
    return this.#record(label, callId, tool, async () => {
      await this.#journal.settle()
      return this.#resolve()
    })
  }

  /** Records the workspace now from a full read, whatever the journal says (before a rewind or a review). */
  rescan(label: CheckpointLabel = 'rescan'): Promise<CheckpointSummary> {
    return this.#record(label, null, null, async () => {
      await this.#journal.settle()
      this.#journal.take()
      return { scan: await scanSubtree(this.#context, '', this.#manifest), notes: [] }
    })
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#queue.catch(() => undefined)
    this.#saveFingerprints()
    await this.#savingFingerprints
    this.#journal.close()
    await this.#log.close()
    await this.#store.unlock(this.runId)
  }

  /**
   * Keeps what the latest checkpoint found for the next run, after any earlier write. Only a
   * cache: a write that fails costs the next run a full read, nothing more.
   */
  #saveFingerprints(): void {
    const settledBeforeMs = this.#keepSettledBeforeMs
    if (settledBeforeMs === null || this.#fingerprintsSavedAt === this.#log.count) return
    this.#fingerprintsSavedAt = this.#log.count
    // The entries as they are now: later checkpoints change the manifest while this write waits.
    const found = [...this.#manifest.entries()]
    this.#savingFingerprints = this.#savingFingerprints
      .then(() => writeFingerprints(this.#store.fingerprints(this.#realWorkspace), this.#realWorkspace, found, settledBeforeMs))
      .catch(() => undefined)
  }

  #record(label: CheckpointLabel, callId: string | null, tool: string | null, read: () => Promise<{ scan: ScanResult; notes: string[] }>): Promise<CheckpointSummary> {
    const run = async (): Promise<CheckpointSummary> => {
      if (this.#closed) throw new Error('the checkpoints of this run are closed')
      this.#scanNotes = []
      this.#context.budget = new StoreBudget(this.#store.root, this.#storeLimits)
      const { scan, notes } = await read()
      notes.push(...this.#scanNotes)
      for (const [path, entry] of scan) if (entry?.kind === 'file' && entry.note !== null) notes.push(`${escapePath(path)}: ${entry.note}`)
      const delta = deltaOf(scan, this.#manifest)
      const changed = changedPaths(delta, this.#manifest)
      // A full read that found nothing new is not worth a line.
      if (label === 'rescan' && delta.length === 0 && notes.length === 0) return { index: this.#log.count - 1, changed, notes }
      const line: CheckpointLine = await this.#log.append({ label, callId, tool, at: Date.now(), notes, delta })
      this.#manifest.apply(delta)
      return { index: line.n, changed, notes }
    }
    const next = this.#queue.catch(() => undefined).then(run)
    this.#queue = next
    return next
  }

  async #resolve(): Promise<{ scan: ScanResult; notes: string[] }> {
    const taken = this.#journal.take()
    if (taken.doubt !== null) {
      return { scan: await scanSubtree(this.#context, '', this.#manifest), notes: [`read the whole workspace: ${taken.doubt}`] }
    }
    const scan: ScanResult = new Map()
    const subtrees = new Set(taken.subtrees)
    for (const dir of taken.subtrees) if (dir !== '') this.#context.rules.forget(dir)
    const single = [...taken.paths].filter((path) => !isWithinAny(path, subtrees))
    for (const [path, entry] of await scanPaths(this.#context, single, this.#manifest)) {
      const known = this.#manifest.get(path)
      if (known?.kind === 'dir' && (entry?.kind !== 'dir' || inodeOf(entry) !== inodeOf(known))) {
        // A directory went away or was replaced: what was below it is gone from here.
        this.#journal.unwatchBelow(path)
        for (const below of this.#manifest.under(path)) scan.set(below, null)
      }
      if (entry?.kind === 'dir' && (known?.kind !== 'dir' || inodeOf(entry) !== inodeOf(known))) subtrees.add(path)
      scan.set(path, entry)
    }
    const roots = new Set<string>()
    for (const dir of [...subtrees].sort((a, b) => a.length - b.length)) if (!isWithinAny(dir, roots)) roots.add(dir)
    for (const dir of roots) for (const [path, entry] of await scanSubtree(this.#context, dir, this.#manifest)) scan.set(path, entry)
    return { scan, notes: [] }
  }
}
