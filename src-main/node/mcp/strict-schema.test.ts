import { describe, expect, it } from 'vitest'
import { fitsStrictMode } from './strict-schema'

describe('strict mode for MCP schemas', () => {
  const closed = { type: 'object', properties: { path: { type: 'string' }, lines: { type: ['integer', 'null'] } }, required: ['path', 'lines'], additionalProperties: false }

  it('accepts a schema that already closes every object and requires every property', () => {
    expect(fitsStrictMode(closed)).toBe(true)
    expect(fitsStrictMode({ ...closed, properties: { ...closed.properties, items: { type: 'array', items: { type: 'object', properties: {}, required: [], additionalProperties: false } } }, required: [...closed.required, 'items'] })).toBe(true)
  })

  it('leaves everything else non-strict rather than rewriting it', () => {
    expect(fitsStrictMode({ ...closed, required: ['path'] })).toBe(false)
    expect(fitsStrictMode({ ...closed, additionalProperties: true })).toBe(false)
    expect(fitsStrictMode({ type: 'object', properties: { path: { type: 'string' } }, required: ['path'] })).toBe(false)
    expect(fitsStrictMode({ ...closed, properties: { ...closed.properties, nested: { type: 'object', properties: { a: { type: 'string' } } } }, required: [...closed.required, 'nested'] })).toBe(false)
    expect(fitsStrictMode({ ...closed, allOf: [] })).toBe(false)
    expect(fitsStrictMode({ type: 'string' })).toBe(false)
    expect(fitsStrictMode(null)).toBe(false)
  })
})
