// Folded states at regular points of a run, held at the cost of what changed between them. Each
// state handed out by a LiveFold never changes, but the next one holds its own copies of the
// collections the records in between touched (items, calls, the timeline...), so holding every
// state whole costs their full size each time: hundreds of megabytes on a gigabyte log. Here only
// the newest state is whole; each older one is what it takes to get it back from the next: the
// entries that differ, the keys added since, the length it had. Getting a state back costs one
// copy of the newest state's collections plus the changes after it. What the older states hold is
// kept under a budget (a log may change big entries, long terminal tails, between every two
// states): past it, every other state goes, merged into its neighbour's step, and the caller's
// interval between states doubles.
import type { RunState } from '../../common/run/state'

const ARRAY_FIELDS = ['timeline', 'responses', 'turns', 'toolCallOrder', 'userInputs', 'errors', 'gaps', 'compactions', 'rewinds'] as const
const RECORD_FIELDS = ['items', 'toolCalls', 'approvals', 'responseIndexById', 'toolViews'] as const
type ArrayField = (typeof ARRAY_FIELDS)[number]
type RecordField = (typeof RECORD_FIELDS)[number]
const CONTAINERS = new Set<string>([...ARRAY_FIELDS, ...RECORD_FIELDS])

/** How to turn an array of the next state back into this one's: null when it is the same array. */
type ArrayChange = { length: number; changed: [number, unknown][] } | null
/** How to turn a keyed collection of the next state back into this one's. */
type RecordChange = { added: string[]; changed: [string, unknown][] } | null

interface BackStep {
  /** The state's other fields: plain values, shared with the state. */
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

function arrayChange(before: readonly unknown[], after: readonly unknown[]): ArrayChange {
  if (before === after) return null
  const changed: [number, unknown][] = []
  for (let index = 0; index < before.length; index++) if (index >= after.length || before[index] !== after[index]) changed.push([index, before[index]])
  return { length: before.length, changed }
}

function recordChange(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): RecordChange {
  if (before === after) return null
  const added = Object.keys(after).filter((key) => !Object.hasOwn(before, key))
  const changed: [string, unknown][] = []
  for (const key in before) if (after[key] !== before[key]) changed.push([key, before[key]])
  return { added, changed }
}

function sizeOf(arrays: Record<ArrayField, ArrayChange>, records: Record<RecordField, RecordChange>): number {
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

/** The step from `after` back to `before`, one collection at a time (a pause may follow each). */
function* backStep(before: RunState, after: RunState): Generator<void, BackStep> {
  const fields: Partial<RunState> = {}
  for (const key of Object.keys(before) as (keyof RunState)[]) if (!CONTAINERS.has(key)) (fields as Record<string, unknown>)[key] = before[key]
  const arrays = {} as Record<ArrayField, ArrayChange>
  const records = {} as Record<RecordField, RecordChange>
  for (const field of ARRAY_FIELDS) arrays[field] = arrayChange(before[field], after[field])
  yield
  for (const field of RECORD_FIELDS) {
    records[field] = recordChange(before[field], after[field])
    yield
  }
  return { fields, arrays, records, bytes: sizeOf(arrays, records) }
}

/** Runs a generator to its end, awaiting `pause` at each of its yields (or not at all). */
async function finish<T>(walk: Generator<void, T>, pause?: () => Promise<unknown>): Promise<T> {
  for (let step = walk.next(); ; step = walk.next()) {
    if (step.done) return step.value
    if (pause) await pause()
  }
}

function finishNow<T>(walk: Generator<void, T>): T {
  for (let step = walk.next(); ; step = walk.next()) if (step.done) return step.value
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

function merged(later: BackStep, earlier: BackStep): BackStep {
  const arrays = {} as Record<ArrayField, ArrayChange>
  const records = {} as Record<RecordField, RecordChange>
  for (const field of ARRAY_FIELDS) arrays[field] = mergedArray(later.arrays[field], earlier.arrays[field])
  for (const field of RECORD_FIELDS) records[field] = mergedRecord(later.records[field], earlier.records[field])
  return { fields: earlier.fields, arrays, records, bytes: sizeOf(arrays, records) }
}

/** Steps walked back between two pauses. */
const STEPS_PER_PAUSE = 8

/** What the older states may hold on to: a few hundred megabytes whatever the log. */
export const HISTORY_BUDGET_BYTES = 192 * 1024 * 1024

export class StateHistory {
  /** The newest state, whole. */
  #newest: RunState
  /** back[k]: from state k + 1 to state k. */
  #back: BackStep[] = []
  #bytes = 0
  #budget: number
  /** States pushed between two held ones: doubles each time the history is thinned. */
  #spacing = 1
  #pushed = 0

  constructor(first: RunState, budgetBytes = HISTORY_BUDGET_BYTES) {
    this.#newest = first
    this.#budget = budgetBytes
  }

  /** Pushed states between two held ones: state k is the (k * spacing)-th pushed. */
  get spacing(): number {
    return this.#spacing
  }

  get length(): number {
    return this.#back.length + 1
  }

  /** About how many bytes the older states hold on to. */
  get heldBytes(): number {
    return this.#bytes
  }

  /** Adds a state that never changes (a LiveFold snapshot); it is held if it falls on the spacing. */
  push(state: RunState): void {
    this.#pushed += 1
    if (this.#pushed % this.#spacing !== 0) return
    this.#add(finishNow(backStep(this.#newest, state)), state)
  }

  /**
   * `push`, giving the event loop back between the collections compared. Pushes must not overlap:
   * the caller awaits each before the next.
   */
  async pushPaused(state: RunState, pause: () => Promise<unknown>): Promise<void> {
    this.#pushed += 1
    if (this.#pushed % this.#spacing !== 0) return
    this.#add(await finish(backStep(this.#newest, state), pause), state)
  }

  #add(step: BackStep, state: RunState): void {
    this.#back.push(step)
    this.#bytes += step.bytes
    this.#newest = state
    while (this.#bytes > this.#budget && this.#back.length >= 2) this.#thin()
  }

  /** Keeps every other state: each kept step goes two states back. */
  #thin(): void {
    if (this.#back.length % 2 === 1) {
      // The newest state falls between two kept ones: the one before it becomes the newest.
      this.#newest = this.at(this.#back.length - 1)
      this.#back = this.#back.slice(0, -1)
    }
    const back: BackStep[] = []
    for (let k = 0; k < this.#back.length; k += 2) back.push(merged(this.#back[k + 1]!, this.#back[k]!))
    this.#back = back
    this.#bytes = back.reduce((sum, step) => sum + step.bytes, 0)
    this.#spacing *= 2
  }

  /**
   * State `k` (0 is the first pushed, or given to the constructor), at once.
   */
  at(k: number): RunState {
    return finishNow(this.#walkBack(k))
  }

  /** `at`, giving the event loop back every few steps. */
  atPaused(k: number, pause: () => Promise<unknown>): Promise<RunState> {
    return finish(this.#walkBack(k), pause)
  }

  /** Builds state k, yielding between the copies and every few steps back. */
  *#walkBack(k: number): Generator<void, RunState> {
    // Taken now: a push while this walks may thin the history into a new list.
    const steps = this.#back
    const newest = this.#newest
    if (k === steps.length) return newest
    const arrays = {} as Record<ArrayField, unknown[]>
    const records = {} as Record<RecordField, Record<string, unknown>>
    for (const field of ARRAY_FIELDS) arrays[field] = [...newest[field]]
    yield
    for (const field of RECORD_FIELDS) {
      records[field] = { ...newest[field] }
      yield
    }
    for (let step = steps.length - 1; step >= k; step--) {
      if (step % STEPS_PER_PAUSE === 0) yield
      const back = steps[step]!
      for (const field of ARRAY_FIELDS) {
        const change = back.arrays[field]
        if (!change) continue
        const array = arrays[field]
        array.length = change.length
        for (const [index, value] of change.changed) array[index] = value
      }
      for (const field of RECORD_FIELDS) {
        const change = back.records[field]
        if (!change) continue
        const record = records[field]
        for (const key of change.added) delete record[key]
        for (const [key, value] of change.changed) record[key] = value
      }
    }
    return { ...newest, ...steps[k]!.fields, ...arrays, ...records } as RunState
  }
}
