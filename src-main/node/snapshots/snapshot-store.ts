// Where Tether keeps its own copies of workspaces: one object store shared by every run (a file
// kept by many runs is stored once), per run its checkpoint log, and per workspace what the last
// run found there. All under the data dir, which the sandbox never sees; nothing here is ever
// written inside a workspace.
import { createHash } from 'node:crypto'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ObjectStore } from './object-store'

export class SnapshotStore {
  readonly root: string
  readonly objects: ObjectStore

  constructor(root: string) {
    this.root = root
    this.objects = new ObjectStore(join(root, 'objects'))
  }

  runDir(runId: string): string {
    return join(this.root, 'runs', runId)
  }

  checkpointLog(runId: string): string {
    return join(this.runDir(runId), 'checkpoints.jsonl')
  }

  /** What the last run found in the workspace at `realPath` (see workspace-fingerprints.ts). */
  fingerprints(realPath: string): string {
    return join(this.root, 'workspaces', `${createHash('sha256').update(realPath).digest('hex')}.json`)
  }

  barrierDir(runId: string): string {
    return join(this.runDir(runId), 'barrier')
  }

  #lockPath(runId: string): string {
    return join(this.runDir(runId), 'live.pid')
  }

  /** Marks the run's checkpoints as kept by this process. */
  async lock(runId: string): Promise<void> {
    await writeFile(this.#lockPath(runId), String(process.pid), { mode: 0o600 })
  }

  async unlock(runId: string): Promise<void> {
    if ((await this.liveHolder(runId)) === process.pid) await rm(this.#lockPath(runId), { force: true })
  }

  /** The process that is keeping this run's checkpoints now, if one is alive. */
  async liveHolder(runId: string): Promise<number | null> {
    const text = await readFile(this.#lockPath(runId), 'utf8').catch(() => null)
    const pid = text === null ? Number.NaN : Number.parseInt(text, 10)
    if (!Number.isInteger(pid) || pid <= 0) return null
    try {
      process.kill(pid, 0)
      return pid
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null
    }
  }
}
