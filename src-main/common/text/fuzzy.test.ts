import { describe, expect, it } from 'vitest'
import { fuzzyScore, mentionAt, rankPaths } from './fuzzy'

const PATHS = ['src/money.js', 'src/index.js', 'src/invoice.js', 'test/money.test.js', 'test/invoice.test.js', 'scripts/build.js', 'README.md', 'package.json']

describe('rankPaths', () => {
  it('puts file-name matches first and keeps the order of the query', () => {
    expect(rankPaths('mon', PATHS, 3)).toEqual(['src/money.js', 'test/money.test.js'])
    expect(rankPaths('inv', PATHS, 2)).toEqual(['src/invoice.js', 'test/invoice.test.js'])
    expect(rankPaths('tmt', PATHS, 5)).toEqual(['test/money.test.js'])
    expect(rankPaths('zzz', PATHS, 5)).toEqual([])
  })

  it('matches segment starts across the path', () => {
    expect(rankPaths('sb', PATHS, 1)).toEqual(['scripts/build.js'])
    expect(fuzzyScore('', 'anything')).toBe(0)
  })

  it('costs linear time in the number of paths', () => {
    const many = Array.from({ length: 20_000 }, (_, index) => `packages/pkg${index % 97}/src/module${index}.ts`)
    expect(rankPaths('module1999', many, 1)).toEqual(['packages/pkg59/src/module1999.ts'])
  })
})

describe('mentionAt', () => {
  it('finds the @query before the caret, only at a word start', () => {
    expect(mentionAt('Look at @src/mo', 15)).toEqual({ start: 8, query: 'src/mo' })
    expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' })
    expect(mentionAt('mail me@example.com', 19)).toBeNull()
    expect(mentionAt('done @x and more', 16)).toBeNull()
  })
})
