import { describe, expect, it } from 'vitest'
import { bytes, duration } from './format'

describe('format', () => {
  it('gives durations and sizes as people read them', () => {
    expect([duration(null), duration(12.4), duration(1500), duration(42_000), duration(185_000), duration(4_000_000)]).toEqual(['–', '12 ms', '1.5 s', '42 s', '3 min 5 s', '1 h 6 min'])
    expect([bytes(512), bytes(2048), bytes(5 * 1024 * 1024)]).toEqual(['512 B', '2.0 KB', '5.0 MB'])
  })
})
