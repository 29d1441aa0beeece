// The entries of one checkpoint, indexed by directory so that "everything under a/b" costs the
// size of that subtree, not of the workspace.
import { parentOf, type SnapshotEntry } from './entry'

export class Manifest {
  #entries = new Map<string, SnapshotEntry>()
  #children = new Map<string, Set<string>>()

  static from(entries: Iterable<[string, SnapshotEntry]>): Manifest {
    const manifest = new Manifest()
    for (const [path, entry] of entries) manifest.set(path, entry)
    return manifest
  }

  get size(): number {
    return this.#entries.size
  }

  get(path: string): SnapshotEntry | undefined {
    return this.#entries.get(path)
  }

  has(path: string): boolean {
    return this.#entries.has(path)
  }

  entries(): IterableIterator<[string, SnapshotEntry]> {
    return this.#entries.entries()
  }

  paths(): IterableIterator<string> {
    return this.#entries.keys()
  }

  set(path: string, entry: SnapshotEntry): void {
    if (!this.#entries.has(path)) {
      const parent = parentOf(path)
      let siblings = this.#children.get(parent)
      if (!siblings) this.#children.set(parent, (siblings = new Set()))
      siblings.add(path)
    }
    this.#entries.set(path, entry)
  }

  delete(path: string): void {
    if (!this.#entries.delete(path)) return
    const parent = parentOf(path)
    const siblings = this.#children.get(parent)
    siblings?.delete(path)
    if (siblings?.size === 0) this.#children.delete(parent)
  }

  /** Every path strictly below `dir` ('' for the whole workspace). */
  *under(dir: string): Generator<string> {
    const stack = [dir]
    while (stack.length > 0) {
      for (const child of this.#children.get(stack.pop()!) ?? []) {
        yield child
        stack.push(child)
      }
    }
  }

  /** Applies a delta: an entry sets a path, null removes it. */
  apply(delta: Iterable<[string, SnapshotEntry | null]>): void {
    for (const [path, entry] of delta) {
      if (entry === null) this.delete(path)
      else this.set(path, entry)
    }
  }

  clone(): Manifest {
    return Manifest.from(this.#entries)
  }
}
