// The project folder, found from wherever the benchmark runs (its sources, out/bench, or the
// snapshot bench/run.js runs it from).
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'

export function projectRoot(from: string = import.meta.dirname): string {
  for (let directory = from; ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'package.json')) && existsSync(join(directory, 'bench', 'run.js'))) return directory
    if (dirname(directory) === directory) throw new Error(`cannot find the project folder (with bench/run.js) above ${from}`)
  }
}
