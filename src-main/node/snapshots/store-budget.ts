// How much new content one checkpoint may add to the object store, and how much room on the disk
// it must leave: a run that writes gigabytes, or many files just under the size cap, gets a note
// per file not kept instead of a data dir that fills the disk without a word.
import type { StatsFs } from 'node:fs'
import { statfs } from 'node:fs/promises'
import { dirname } from 'node:path'
import { megabytes } from './read-entry'

export interface StoreLimits {
  /** New content (not already in the store) one checkpoint may keep. */
  maxNewBytes: number
  /** Free space the store leaves on its disk. */
  minFreeBytes: number
}

export const DEFAULT_STORE_LIMITS: StoreLimits = { maxNewBytes: 2 * 1024 * 1024 * 1024, minFreeBytes: 2 * 1024 * 1024 * 1024 }

/** Free space is asked of the disk again after this much was kept since the last look. */
const RECHECK_BYTES = 64 * 1024 * 1024

/** The disk of `path`, or of its nearest folder that exists (the store is made on first use). */
async function statfsOfNearest(path: string): Promise<StatsFs> {
  for (let current = path; ; current = dirname(current)) {
    try {
      return await statfs(current)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(current) === current) throw error
    }
  }
}

export class StoreBudget {
  #root: string
  #limits: StoreLimits
  #spent = 0
  /** Free bytes at the last look, and what had been spent then. */
  #free: { bytes: number; spentThen: number } | null = null

  constructor(root: string, limits: StoreLimits = DEFAULT_STORE_LIMITS) {
    this.#root = root
    this.#limits = limits
  }

  /** Null when `size` new bytes may be kept (and counts them); otherwise why not, as a note. */
  async refusal(size: number): Promise<string | null> {
    if (this.#spent + size > this.#limits.maxNewBytes) {
      return `not kept: this checkpoint already keeps ${megabytes(this.#spent)} of new content (the limit is ${megabytes(this.#limits.maxNewBytes)})`
    }
    this.#spent += size
    if (this.#free === null || this.#spent - this.#free.spentThen > RECHECK_BYTES) {
      const stats = await statfsOfNearest(this.#root)
      this.#free = { bytes: stats.bavail * stats.bsize, spentThen: this.#spent - size }
    }
    const free = this.#free.bytes - (this.#spent - size - this.#free.spentThen)
    if (free - size < this.#limits.minFreeBytes) {
      this.#spent -= size
      return `not kept: the disk holding Tether's data dir has ${megabytes(free)} free, and Tether leaves ${megabytes(this.#limits.minFreeBytes)}`
    }
    return null
  }
}
