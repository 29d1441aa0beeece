import { describe, expect, it } from 'vitest'
import { Ownership } from './ownership'

describe('Ownership', () => {
  it('copies a collection it does not own, and leaves the original alone', () => {
    const own = new Ownership()
    const items = Object.freeze({ a: 1 }) as Record<string, number>
    const list = Object.freeze([1, 2]) as readonly number[]
    const view: Readonly<{ text: string; done: boolean }> = Object.freeze({ text: 'x', done: false })
    expect(own.withKey(items, 'b', 2)).toEqual({ a: 1, b: 2 })
    expect(own.withIndex(list, 3, 9, 0)).toEqual([1, 2, 0, 9])
    expect(own.withAppended(list, 3)).toEqual([1, 2, 3])
    expect(own.patch(view, { done: true })).toEqual({ text: 'x', done: true })
    expect(items).toEqual({ a: 1 })
    expect(list).toEqual([1, 2])
    expect(view).toEqual({ text: 'x', done: false })
  })

  it('changes in place what it copied before', () => {
    const own = new Ownership()
    const copy = own.withKey({ a: 1 } as Record<string, number>, 'b', 2)
    expect(own.withKey(copy, 'c', 3)).toBe(copy)
    const list = own.withAppended([] as number[], 1)
    expect(own.withAppended(list, 2)).toBe(list)
    expect(own.withIndex(list, 0, 7)).toBe(list)
    expect(list).toEqual([7, 2])
    const view = own.patch({ text: '' }, { text: 'a' })
    expect(own.patch(view, { text: 'ab' })).toBe(view)
  })

  it('never changes what another ownership copied', () => {
    const first = new Ownership()
    const copy = first.withAppended([] as number[], 1)
    const second = new Ownership()
    const next = second.withAppended(copy, 2)
    expect(next).not.toBe(copy)
    expect(copy).toEqual([1])
  })
})
