// Folded states at regular points of a run, held at the cost of what changed between them. Each
// state handed out by a LiveFold never changes, but the next one holds its own copies of the
// collections the records in between touched (items, calls, the timeline...), so holding every
// state whole costs their full size each time: hundreds of megabytes on a gigabyte log. Here only
// the newest state is whole; each older one is what it takes to get it back from the next: the
// entries that differ, the keys added since, the length it had. Getting a state back costs one
// copy of the newest state's collections plus the changes after it.
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
  /** Entries held, for the memory bound. */
  size: number
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

function backStep(before: RunState, after: RunState): BackStep {
  const fields: Partial<RunState> = {}
  for (const key of Object.keys(before) as (keyof RunState)[]) if (!CONTAINERS.has(key)) (fields as Record<string, unknown>)[key] = before[key]
  const arrays = {} as Record<ArrayField, ArrayChange>
  const records = {} as Record<RecordField, RecordChange>
  let size = 0
  for (const field of ARRAY_FIELDS) {
    arrays[field] = arrayChange(before[field], after[field])
    size += arrays[field]?.changed.length ?? 0
  }
  for (const field of RECORD_FIELDS) {
    records[field] = recordChange(before[field], after[field])
    size += (records[field]?.changed.length ?? 0) + (records[field]?.added.length ?? 0)
  }
  return { fields, arrays, records, size }
}

export class StateHistory {
  /** The newest state, whole. */
  #newest: RunState
  /** back[k]: from state k + 1 to state k. */
  #back: BackStep[] = []
  #size = 0

  constructor(first: RunState) {
    this.#newest = first
  }

  get length(): number {
    return this.#back.length + 1
  }

  /** Entries the older states are held by: what changed between them. */
  get heldEntries(): number {
    return this.#size
  }

  /** Adds a state that never changes (a LiveFold snapshot). */
  push(state: RunState): void {
    const step = backStep(this.#newest, state)
    this.#back.push(step)
    this.#size += step.size
    this.#newest = state
  }

  /** State `k` (0 is the first pushed, or given to the constructor). */
  at(k: number): RunState {
    if (k === this.#back.length) return this.#newest
    const newest = this.#newest
    const arrays = Object.fromEntries(ARRAY_FIELDS.map((field) => [field, [...newest[field]]])) as Record<ArrayField, unknown[]>
    const records = Object.fromEntries(RECORD_FIELDS.map((field) => [field, { ...newest[field] }])) as Record<RecordField, Record<string, unknown>>
    for (let step = this.#back.length - 1; step >= k; step--) {
      const back = this.#back[step]!
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
    return { ...newest, ...this.#back[k]!.fields, ...arrays, ...records } as RunState
  }
}
