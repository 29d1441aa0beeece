// Folded states at regular points of a run (checkpoints), held at the cost of what changed between
// them. Only the fold's working state is whole; each checkpoint is what it takes to get it back from
// the next one: the entries that differ, the keys added since, the length it had (a BackStep, which
// a StateJournal writes down while the fold runs, at a cost per record and not per state). Getting
// a checkpoint back is one copy of the working state's collections plus the changes after the
// checkpoint, done a slice at a time so that the event loop is never held for the whole copy. What
// the checkpoints hold is kept under a budget (a log may change big entries, long terminal tails,
// between every two): past it, every other checkpoint goes, merged into its neighbour's step, and
// the interval between checkpoints doubles.
import type { RunState } from '../../common/run/state'

export const ARRAY_FIELDS = ['timeline', 'responses', 'turns', 'toolCallOrder', 'userInputs', 'errors', 'gaps', 'compactions', 'rewinds'] as const
export const RECORD_FIELDS = ['items', 'toolCalls', 'approvals', 'responseIndexById', 'toolViews'] as const
export type ArrayField = (typeof ARRAY_FIELDS)[number]
export type RecordField = (typeof RECORD_FIELDS)[number]
export const CONTAINERS = new Set<string>([...ARRAY_FIELDS, ...RECORD_FIELDS])

/** How to turn an array of the next state back into this one's: null when nothing changed. */
export type ArrayChange = { length: number; changed: [number, unknown][] } | null
/** How to turn a keyed collection of the next state back into this one's. */
export type RecordChange = { added: string[]; changed: [string, unknown][] } | null

export interface BackStep {
  /** The state's other fields: plain values, never changed in place. */
  fields: Partial<RunState>
  arrays: Record<ArrayField, ArrayChange>
  records: Record<RecordField, RecordChange>
  /** About how many bytes the step holds on to (see approximateBytes). */
  bytes: number
}

/** Bytes an entry costs besides its strings. */
const ENTRY_BYTES = 64

/** About what a value the step holds costs: its strings and entries, two levels deep (a call's terminal, a message's parts). */
function approximateBytes(value: unknown, depth = 0): number {
  if (typeof value === 'string') return value.length
  if (value === null || typeof value !== 'object' || depth > 2) return 8
  let bytes = ENTRY_BYTES
  for (const inner of Array.isArray(value) ? value : Object.values(value)) bytes += approximateBytes(inner, depth + 1)
  return bytes
}

export function sizeOf(arrays: Record<ArrayField, ArrayChange>, records: Record<RecordField, RecordChange>): number {
  let bytes = 0
  for (const field of ARRAY_FIELDS) for (const [, value] of arrays[field]?.changed ?? []) bytes += ENTRY_BYTES + approximateBytes(value)
  for (const field of RECORD_FIELDS) {
    const change = records[field]
    if (!change) continue
    bytes += ENTRY_BYTES * change.added.length
    for (const [, value] of change.changed) bytes += ENTRY_BYTES + approximateBytes(value)
  }
  return bytes
}

/** The fields of `state` that are not collections. */
export function plainFields(state: RunState): Partial<RunState> {
  const fields: Partial<RunState> = {}
  for (const key of Object.keys(state) as (keyof RunState)[]) if (!CONTAINERS.has(key)) (fields as Record<string, unknown>)[key] = state[key]
  return fields
}

/** The step from `after` back to `before`, comparing whole arrays: for a collection replaced rather than changed. */
export function arrayChange(before: readonly unknown[], after: readonly unknown[]): ArrayChange {
  if (before === after) return null
  const changed: [number, unknown][] = []
  for (let index = 0; index < before.length; index++) if (index >= after.length || before[index] !== after[index]) changed.push([index, before[index]])
  return { length: before.length, changed }
}

export function recordChange(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): RecordChange {
  if (before === after) return null
  const added = Object.keys(after).filter((key) => !Object.hasOwn(before, key))
  const changed: [string, unknown][] = []
  for (const key in before) if (after[key] !== before[key]) changed.push([key, before[key]])
  return { added, changed }
}

/** One step from state k + 2 to state k: `later` (k + 2 to k + 1), then `earlier` (k + 1 to k). */
function mergedArray(later: ArrayChange, earlier: ArrayChange): ArrayChange {
  if (!later) return earlier
  if (!earlier) return later
  const changed = new Map<number, unknown>()
  for (const [index, value] of later.changed) if (index < earlier.length) changed.set(index, value)
  for (const [index, value] of earlier.changed) changed.set(index, value)
  return { length: earlier.length, changed: [...changed] }
}

function mergedRecord(later: RecordChange, earlier: RecordChange): RecordChange {
  if (!later) return earlier
  if (!earlier) return later
  const removedBefore = new Set(earlier.added)
  const changed = new Map<string, unknown>()
  for (const [key, value] of later.changed) if (!removedBefore.has(key)) changed.set(key, value)
  for (const [key, value] of earlier.changed) changed.set(key, value)
  const added = [...new Set([...later.added, ...earlier.added])].filter((key) => !changed.has(key))
  return { added, changed: [...changed] }
}

export function merged(later: BackStep, earlier: BackStep): BackStep {
  const arrays = {} as Record<ArrayField, ArrayChange>
  const records = {} as Record<RecordField, RecordChange>
  for (const field of ARRAY_FIELDS) arrays[field] = mergedArray(later.arrays[field], earlier.arrays[field])
  for (const field of RECORD_FIELDS) records[field] = mergedRecord(later.records[field], earlier.records[field])
  return { fields: earlier.fields, arrays, records, bytes: sizeOf(arrays, records) }
}

/** Entries copied or changed between two pauses: a few milliseconds of work. */
export const ENTRIES_PER_SLICE = 16_384

/** Runs a generator to its end, awaiting `pause` at each of its yields (or not at all). */
export async function finish<T>(walk: Generator<void, T>, pause?: () => Promise<unknown>): Promise<T> {
  for (let step = walk.next(); ; step = walk.next()) {
    if (step.done) return step.value
    if (pause) await pause()
  }
}

export function finishNow<T>(walk: Generator<void, T>): T {
  for (let step = walk.next(); ; step = walk.next()) if (step.done) return step.value
}

/** Counts work and says when a slice is full. */
export class Slices {
  #done = 0
  readonly #size: number

  constructor(size = ENTRIES_PER_SLICE) {
    this.#size = size
  }

  /** Counts `entries`; true when the slice is full and the caller should yield. */
  add(entries: number): boolean {
    this.#done += entries
    if (this.#done < this.#size) return false
    this.#done = 0
    return true
  }
}

/** The keys of one of a state's keyed collections (see StateJournal.keysOf). */
export type KeysOf = (field: RecordField) => readonly string[]

/**
 * A copy of `state` whose collections are new (nothing else holds them: a fold may change them in
 * place), made a slice at a time. Entries are shared: they never change in place.
 */
export function* copiedState(state: RunState, slices = new Slices(), keysOf: KeysOf = (field) => Object.keys(state[field])): Generator<void, RunState> {
  const copy = { ...state }
  const target = copy as unknown as Record<string, unknown>
  for (const field of ARRAY_FIELDS) {
    const source = state[field]
    const array: unknown[] = []
    for (let from = 0; from < source.length; from += ENTRIES_PER_SLICE) {
      const end = Math.min(source.length, from + ENTRIES_PER_SLICE)
      for (let index = from; index < end; index++) array.push(source[index])
      if (slices.add(end - from)) yield
    }
    target[field] = array
  }
  for (const field of RECORD_FIELDS) {
    const source = state[field] as Record<string, unknown>
    const keys = keysOf(field)
    const record: Record<string, unknown> = {}
    for (let from = 0; from < keys.length; from += ENTRIES_PER_SLICE) {
      const end = Math.min(keys.length, from + ENTRIES_PER_SLICE)
      for (let index = from; index < end; index++) record[keys[index]!] = source[keys[index]!]
      if (slices.add(end - from)) yield
    }
    target[field] = record
  }
  return copy
}

/** Applies `step` to `state`, whose collections are its own (see copiedState), yielding between slices. */
export function* undo(state: RunState, step: BackStep, slices = new Slices()): Generator<void, RunState> {
  for (const field of ARRAY_FIELDS) {
    const change = step.arrays[field]
    if (!change) continue
    const array = state[field] as unknown[]
    array.length = change.length
    for (const [index, value] of change.changed) {
      array[index] = value
      if (slices.add(1)) yield
    }
  }
  for (const field of RECORD_FIELDS) {
    const change = step.records[field]
    if (!change) continue
    const record = state[field] as Record<string, unknown>
    for (const key of change.added) {
      delete record[key]
      if (slices.add(1)) yield
    }
    for (const [key, value] of change.changed) {
      record[key] = value
      if (slices.add(1)) yield
    }
  }
  return Object.assign(state, step.fields)
}

/** The collections of `state`, for a fold that owns them. */
export function collectionsOf(state: RunState): object[] {
  return [...ARRAY_FIELDS, ...RECORD_FIELDS].map((field) => state[field])
}

/** What the older states may hold on to: a few hundred megabytes whatever the log. */
export const HISTORY_BUDGET_BYTES = 192 * 1024 * 1024

export class StateHistory {
  /** back[k]: from held state k + 1 to held state k. */
  #back: BackStep[] = []
  /** From the last state pushed back to the newest held one, when the spacing left it out. */
  #tail: BackStep | null = null
  #bytes = 0
  #budget: number
  /** States pushed between two held ones: doubles each time the history is thinned. */
  #spacing = 1
  #pushed = 0

  constructor(budgetBytes = HISTORY_BUDGET_BYTES) {
    this.#budget = budgetBytes
  }

  /** Pushed states between two held ones: held state k is the (k * spacing)-th pushed. */
  get spacing(): number {
    return this.#spacing
  }

  /** States held, the first (before any step) included. */
  get length(): number {
    return this.#back.length + 1
  }

  /** About how many bytes the steps hold on to. */
  get heldBytes(): number {
    return this.#bytes + (this.#tail?.bytes ?? 0)
  }

  /** Over its budget: `thin` brings it back within. */
  get overBudget(): boolean {
    return this.heldBytes > this.#budget && this.#back.length >= 2
  }

  /** A new state was reached: `step` leads from it back to the state pushed before (or the first). */
  push(step: BackStep): void {
    this.#pushed += 1
    this.#tail = this.#tail ? merged(step, this.#tail) : step
    if (this.#pushed % this.#spacing !== 0) return
    this.#back.push(this.#tail)
    this.#bytes += this.#tail.bytes
    this.#tail = null
  }

  /** Keeps every other state until within budget, giving the event loop back between merges. */
  async thin(pause?: () => Promise<unknown>): Promise<void> {
    while (this.overBudget) {
      const back = this.#back.slice()
      let tail = this.#tail
      // The newest held state falls between two kept ones: its step joins the tail.
      if (back.length % 2 === 1) {
        const last = back.pop()!
        tail = tail ? merged(tail, last) : last
      }
      const thinned: BackStep[] = []
      for (let k = 0; k < back.length; k += 2) {
        thinned.push(merged(back[k + 1]!, back[k]!))
        if (pause && k % 16 === 14) await pause()
      }
      // All at once: a restore may start during a pause, and pushes do not happen while thinning.
      this.#tail = tail
      this.#back = thinned
      this.#bytes = thinned.reduce((sum, step) => sum + step.bytes, 0)
      this.#spacing *= 2
    }
  }

  /**
   * Held state `k`, with collections of its own, from `newest` (the fold's working state, whose
   * keys `keysOf` gives) and `open` (from `newest` back to the last state pushed), yielding
   * between slices. The caller keeps `newest` from changing until this is done.
   */
  *restore(k: number, newest: RunState, open: BackStep, slices = new Slices(), keysOf?: KeysOf): Generator<void, RunState> {
    if (k < 0 || k > this.#back.length) throw new RangeError(`no held state ${k}`)
    const steps = [open, ...(this.#tail ? [this.#tail] : []), ...this.#back.slice(k).reverse()]
    let state = yield* copiedState(newest, slices, keysOf)
    for (const step of steps) state = yield* undo(state, step, slices)
    return state
  }
}
