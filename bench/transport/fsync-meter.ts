// Counts and times every `FileHandle.datasync()` of this process, so Tether's profile can say how
// many fdatasyncs a run made and how long they took. It only observes: the call itself is the
// original one. The other clients write nothing durable, so every sync counted in a Tether run is
// Tether's.
import { open, type FileHandle } from 'node:fs/promises'
import { performance } from 'node:perf_hooks'

export interface FsyncTotals {
  count: number
  ms: number
}

type DatasyncHolder = { datasync: (this: FileHandle) => Promise<void> }

export class FsyncMeter {
  #totals: FsyncTotals = { count: 0, ms: 0 }
  #holder: DatasyncHolder
  #original: DatasyncHolder['datasync']

  private constructor(holder: DatasyncHolder) {
    this.#holder = holder
    this.#original = holder.datasync
    const original = this.#original
    const totals = (): FsyncTotals => this.#totals
    holder.datasync = async function (this: FileHandle): Promise<void> {
      const startedAt = performance.now()
      try {
        await original.call(this)
      } finally {
        totals().count += 1
        totals().ms += performance.now() - startedAt
      }
    }
  }

  /** Installs the meter on the FileHandle prototype (found through a handle on this process's binary). */
  static async install(): Promise<FsyncMeter> {
    const handle = await open(process.execPath, 'r')
    const holder = Object.getPrototypeOf(handle) as DatasyncHolder
    await handle.close()
    return new FsyncMeter(holder)
  }

  /** Totals since the last call. */
  take(): FsyncTotals {
    const totals = this.#totals
    this.#totals = { count: 0, ms: 0 }
    return totals
  }

  uninstall(): void {
    this.#holder.datasync = this.#original
  }
}
