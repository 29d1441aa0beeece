// CRC-32 (IEEE 802.3), the checksum on every run-log line. zlib's implementation is native and
// vectorized: an order of magnitude faster than a table in JavaScript, which matters when a long
// log is verified line by line on open.
import { crc32 as zlibCrc32 } from 'node:zlib'

/** Continues a running CRC (pass the previous result as `crc`) over `bytes[start, end)`. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length, crc = 0): number {
  return zlibCrc32(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), crc)
}

export function crc32Hex(value: number): string {
  return value.toString(16).padStart(8, '0')
}
