// The foundation benchmarks in one process, in a fixed order: `node bench/foundation/run.mjs [reducer|live-fold|replay|append]`.
import { appendBenchmark } from './append.bench'
import { liveFoldBenchmark } from './live-fold.bench'
import { reducerBenchmark } from './reducer.bench'
import { loadNote } from './report'
import { replayBenchmark } from './replay.bench'

const BENCHMARKS: Record<string, () => Promise<void>> = {
  reducer: reducerBenchmark,
  'live-fold': liveFoldBenchmark,
  replay: replayBenchmark,
  append: appendBenchmark
}

const chosen = process.argv.slice(2)
const unknown = chosen.filter((name) => !(name in BENCHMARKS))
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark: ${unknown.join(', ')} (choose from ${Object.keys(BENCHMARKS).join(', ')})\n`)
  process.exit(2)
}
process.stdout.write(`node ${process.version}, ${process.platform}-${process.arch}, ${loadNote()}\n`)
for (const name of chosen.length > 0 ? chosen : Object.keys(BENCHMARKS)) await BENCHMARKS[name]!()
