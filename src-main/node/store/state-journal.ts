// What a fold changed in the collections of its state since the last checkpoint, written down as it
// folds: the value each entry had before its first change, the keys it added, the lengths the
// lists had. From that, the step from the working state back to the checkpoint (a BackStep) costs
// what changed, not what the state holds, so a checkpoint every few thousand records stays cheap
// however large the run's state grows. The fold must change its collections only through its
// Ownership (the journal's observer); a collection replaced outright is compared whole instead.
import type { WriteObserver } from '../../common/run/ownership'
import type { RunState } from '../../common/run/state'
import {
  ARRAY_FIELDS,
  RECORD_FIELDS,
  arrayChange,
  plainFields,
  recordChange,
  sizeOf,
  type ArrayChange,
  type ArrayField,
  type BackStep,
  type RecordChange,
  type RecordField
} from './state-history'

type Field = ArrayField | RecordField

const ARRAYS = new Set<string>(ARRAY_FIELDS)

export class StateJournal implements WriteObserver {
  /** Every collection the fold has written since the checkpoint, or had at it: which field it is. */
  #fieldOf = new Map<object, Field>()
  /** Each field's latest collection: the one at the checkpoint, or the fold's copy of it. */
  #latestOf = {} as Record<Field, object>
  /** What fields that shared their collection with another at the checkpoint held then: compared whole. */
  #shared = new Map<Field, unknown[] | Record<string, unknown>>()
  #lengthOf = {} as Record<ArrayField, number>
  #fields: Partial<RunState> = {}
  /** Entries that existed at the checkpoint and were set since: their value at the checkpoint. */
  #before = {} as Record<Field, Map<string | number, unknown>>
  /** Keys added to keyed collections since the checkpoint. */
  #added = {} as Record<RecordField, Set<string>>
  /** Every key of each keyed collection, in the order added: a copy walks them without asking the collection for all its keys at once. */
  #keys = {} as Record<RecordField, string[]>

  constructor(checkpoint: RunState) {
    for (const field of RECORD_FIELDS) this.#keys[field] = Object.keys(checkpoint[field])
    this.begin(checkpoint)
  }

  /** The keys of `state[field]`, `state` being the fold's working state. */
  keysOf(state: RunState, field: RecordField): readonly string[] {
    if (state[field] !== this.#latestOf[field] || this.#shared.has(field)) this.#keys[field] = Object.keys(state[field])
    return this.#keys[field]
  }

  /** Starts over at a checkpoint: `state` is what the next step leads back to. */
  begin(state: RunState): void {
    this.#fieldOf.clear()
    this.#shared.clear()
    this.#fields = plainFields(state)
    const fields = [...ARRAY_FIELDS, ...RECORD_FIELDS]
    const uses = new Map<object, number>()
    for (const field of fields) uses.set(state[field], (uses.get(state[field]) ?? 0) + 1)
    for (const field of fields) {
      const collection = state[field]
      this.#latestOf[field] = collection
      this.#before[field] = new Map()
      // A write to a collection two fields share (an untouched empty one, in practice) would not say which field it is for.
      if (uses.get(collection) === 1) this.#fieldOf.set(collection, field)
      else this.#shared.set(field, Array.isArray(collection) ? collection.slice() : { ...collection })
    }
    for (const field of ARRAY_FIELDS) this.#lengthOf[field] = state[field].length
    for (const field of RECORD_FIELDS) this.#added[field] = new Set()
  }

  willSet(collection: object, into: object, key: string | number): void {
    const field = this.#fieldOf.get(collection)
    if (field === undefined || this.#latestOf[field] !== collection) return
    if (into !== collection) {
      this.#fieldOf.set(into, field)
      this.#latestOf[field] = into
    }
    const before = this.#before[field]
    if (before.has(key)) return
    if (ARRAYS.has(field)) {
      if ((key as number) < this.#lengthOf[field as ArrayField]) before.set(key, (collection as unknown[])[key as number])
      return
    }
    const added = this.#added[field as RecordField]
    if (added.has(key as string)) return
    if (Object.hasOwn(collection, key)) before.set(key, (collection as Record<string, unknown>)[key as string])
    else {
      added.add(key as string)
      this.#keys[field as RecordField].push(key as string)
    }
  }

  /** Keys of `field` set since the checkpoint (added or changed). */
  written(field: RecordField): string[] {
    return [...(this.#before[field].keys() as Iterable<string>), ...this.#added[field]]
  }

  /** The step from `state`, the fold's working state now, back to the checkpoint. */
  stepBack(state: RunState): BackStep {
    const arrays = {} as Record<ArrayField, ArrayChange>
    const records = {} as Record<RecordField, RecordChange>
    for (const field of ARRAY_FIELDS) {
      const now = state[field]
      if (now !== this.#latestOf[field] || this.#shared.has(field)) {
        arrays[field] = arrayChange(this.#startArray(field), now)
        continue
      }
      const before = this.#before[field]
      const length = this.#lengthOf[field]
      arrays[field] = before.size === 0 && now.length === length ? null : { length, changed: [...(before as Map<number, unknown>)] }
    }
    for (const field of RECORD_FIELDS) {
      const now = state[field]
      if (now !== this.#latestOf[field] || this.#shared.has(field)) {
        records[field] = recordChange(this.#startRecord(field), now)
        this.#keys[field] = Object.keys(now)
        continue
      }
      const before = this.#before[field]
      const added = this.#added[field]
      records[field] = before.size === 0 && added.size === 0 ? null : { added: [...added], changed: [...(before as Map<string, unknown>)] }
    }
    return { fields: this.#fields, arrays, records, bytes: sizeOf(arrays, records) }
  }

  /** What the field's list held at the checkpoint, when the fold replaced it since. */
  #startArray(field: ArrayField): unknown[] {
    const shared = this.#shared.get(field)
    if (shared) return shared as unknown[]
    const array = (this.#latestOf[field] as unknown[]).slice(0, this.#lengthOf[field])
    for (const [index, value] of this.#before[field] as Map<number, unknown>) array[index] = value
    return array
  }

  #startRecord(field: RecordField): Record<string, unknown> {
    const shared = this.#shared.get(field)
    if (shared) return shared as Record<string, unknown>
    const record = { ...(this.#latestOf[field] as Record<string, unknown>) }
    for (const key of this.#added[field]) delete record[key]
    for (const [key, value] of this.#before[field] as Map<string, unknown>) record[key] = value
    return record
  }
}
