// A child process that appends `crashBody` records to a run log as fast as a run would, each
// synced at its sync point (`syncPointOf`), printing `ready <seq>` once the log is open and
// `ack <seq>` whenever a record whose sync point is `wait` is on disk. It runs until it is killed,
// or until a write fails (`failed <message>`, exit code 3).
import { existsSync } from 'node:fs'
import { RunLogWriter } from '../../node/store/run-log-writer'
import { CRASH_FACTS, crashBody } from '../crash-records'

/** Non-durable appends between yields to the event loop, where the writer flushes its batch. */
const BURST = 8

function say(line: string): void {
  // Pipes are synchronous on POSIX: once this returns the parent will see the line even after a SIGKILL.
  process.stdout.write(`${line}\n`)
}

async function main(path: string): Promise<void> {
  const writer = existsSync(path) ? (await RunLogWriter.openExisting(path)).writer : await RunLogWriter.create(path)
  say(`ready ${writer.nextSeq}`)
  for (let appended = 1; ; appended++) {
    const seq = writer.nextSeq
    const { point, reached } = writer.write(crashBody(seq), CRASH_FACTS)
    if (point === 'wait') {
      await reached
      say(`ack ${seq}`)
    } else if (appended % BURST === 0) {
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
}

// A file-size limit (a full disk, in tests) must surface as a failed write, not kill the process.
process.on('SIGXFSZ', () => undefined)

main(process.argv[2] ?? '').catch((error: unknown) => {
  say(`failed ${(error as Error).message}`)
  process.exit(3)
})
