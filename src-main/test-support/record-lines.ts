// The records `tether run --json` prints, one JSON line each, handed over as they come.
import type { Readable } from 'node:stream'
import type { RunRecord } from '../common/run/records'

export function onRecordLines(stream: Readable, handle: (record: RunRecord) => void): void {
  let buffered = ''
  stream.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk
    let newline: number
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const record = JSON.parse(buffered.slice(0, newline)) as RunRecord
      buffered = buffered.slice(newline + 1)
      handle(record)
    }
  })
}
