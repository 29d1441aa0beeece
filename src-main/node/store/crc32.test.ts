import { describe, expect, it } from 'vitest'
import { crc32, crc32Hex } from './crc32'

describe('crc32', () => {
  it('matches the IEEE check value', () => {
    expect(crc32Hex(crc32(Buffer.from('123456789')))).toBe('cbf43926')
    expect(crc32(Buffer.alloc(0))).toBe(0)
  })

  it('continues a running checksum over a range', () => {
    const bytes = Buffer.from('{"v":1,"seq":0,"type":"run.started"}')
    const whole = crc32(bytes)
    expect(crc32(bytes, 10, bytes.length, crc32(bytes, 0, 10))).toBe(whole)
    expect(crc32(Buffer.from('xx123456789xx'), 2, 11)).toBe(0xcbf43926)
  })

  it('pads the hex form to eight digits', () => {
    expect(crc32Hex(0x1a)).toBe('0000001a')
  })
})
