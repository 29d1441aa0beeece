// Copy-on-write for folds. `reduce` gives each call a fresh Ownership, so it copies every
// collection it changes and never touches its input. `foldRecords` shares one Ownership across
// all its records, and a `LiveFold` one across the records between two hand-outs: a collection
// the fold has already copied is changed in place afterwards, because no state the fold made in
// between is ever seen by anyone. That keeps folding a long run linear. Copying a keyed collection per event is quadratic, and V8 copies an object with
// more than about a thousand keys (a long run's items) a hundred times slower than a small one.
//
// The rule that keeps this safe: once a step has changed something, it builds its result from
// the changed state, never from the state it started with.

/** Hears of each entry a fold sets in a keyed collection or list, just before it is set. */
export interface WriteObserver {
  /** `key` of `collection` is about to be set, in `into`: `collection` itself, or its new copy. */
  willSet(collection: object, into: object, key: string | number): void
}

export class Ownership {
  readonly #owned: WeakSet<object>
  readonly #observer: WriteObserver | undefined

  constructor(owned: WeakSet<object> = new WeakSet(), observer?: WriteObserver) {
    this.#owned = owned
    this.#observer = observer
  }

  /** A new ownership that owns only those of `objects` this one owns: everything else is copied on write again. */
  keeping(objects: readonly object[]): Ownership {
    const owned = new WeakSet<object>()
    for (const object of objects) if (this.#owned.has(object)) owned.add(object)
    return new Ownership(owned, this.#observer)
  }

  #writable<T extends object>(collection: T, copy: (collection: T) => T): T {
    if (this.#owned.has(collection)) return collection
    const owned = copy(collection)
    this.#owned.add(owned)
    return owned
  }

  /** `target` with `changes` applied: the run state itself, or one of its views. */
  patch<T extends object>(target: T, changes: Partial<T>): T {
    return Object.assign(this.#writable(target, (original) => ({ ...original })), changes)
  }

  /** `record` with `key` set to `value`. */
  withKey<T>(record: Readonly<Record<string, T>>, key: string, value: T): Record<string, T> {
    const next = this.#writable(record as Record<string, T>, (original) => ({ ...original }))
    this.#observer?.willSet(record, next, key)
    next[key] = value
    return next
  }

  /** `list` with `value` at `index`; any hole before `index` is filled with `fill`. */
  withIndex<T>(list: readonly T[], index: number, value: T, fill?: T): T[] {
    const next = this.#writable(list as T[], (original) => original.slice())
    this.#observer?.willSet(list, next, index)
    while (next.length < index) next.push(fill as T)
    next[index] = value
    return next
  }

  /** `list` with `value` appended. */
  withAppended<T>(list: readonly T[], value: T): T[] {
    const next = this.#writable(list as T[], (original) => original.slice())
    this.#observer?.willSet(list, next, next.length)
    next.push(value)
    return next
  }
}
