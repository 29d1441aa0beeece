// A process whose workspace reader is stuck in a read (the worker script given blocks on a FIFO,
// as one in a dead mount would) and was let go for its silence: it must still end.
import { EntryReaderThread } from '../../node/snapshots/entry-reader'

const [entry, folder] = process.argv.slice(2)
const thread = new EntryReaderThread({ entry, silenceLimitMs: 300 })
await thread.request({ kind: 'list', path: folder ?? '/' }).catch(() => process.stdout.write('let go'))
