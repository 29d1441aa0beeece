import { parseArgs } from 'node:util'
import { summarizeMetrics } from '../../../common/run/metrics-summary'
import { foldRecords } from '../../../common/run/reduce'
import { summarize } from '../../../common/run/summary'
import { loadReplaySource, NotReplayableError } from '../../store/replay-source'
import { CliError, EXIT_USAGE } from '../cli-error'
import { renderMetrics, renderTranscript } from '../render-transcript'

const HELP = `usage: tether replay FILE|- [--json] [--until SEQ]

Prints the transcript of a Tether run log (or of \`tether run --json\` output; - reads stdin),
or of a raw stream of Responses server events (JSONL with one event per line, or SSE text with
data: lines).

  --json        print one JSON object: status, responses, messages, toolCalls, usage, errors
  --until SEQ   stop after the record with this seq (for raw streams: the 0-based event index)`

export async function replayCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, until: { type: 'string' }, help: { type: 'boolean', short: 'h' } }
  })
  if (values.help) {
    process.stdout.write(`${HELP}\n`)
    return 0
  }
  const [file, ...rest] = positionals
  if (!file || rest.length > 0) throw new CliError(`expected exactly one FILE\n${HELP}`, EXIT_USAGE)
  const until = values.until === undefined ? Number.POSITIVE_INFINITY : Number(values.until)
  if (!Number.isInteger(until) && until !== Number.POSITIVE_INFINITY) throw new CliError(`--until needs an integer, got '${values.until}'`, EXIT_USAGE)

  if (file === '-' && process.stdin.isTTY) throw new CliError('- reads a log from standard input: pipe one in (tether run --json … | tether replay -)', EXIT_USAGE)
  let source
  try {
    source = await loadReplaySource(file)
  } catch (error) {
    if (error instanceof NotReplayableError) throw new CliError(`${file === '-' ? 'standard input' : file}: ${error.message}`, EXIT_USAGE)
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError(`${file}: no such file`, EXIT_USAGE)
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw new CliError(`${file}: is a directory, not a log`, EXIT_USAGE)
    throw error
  }
  const state = foldRecords(source.records.filter((record) => record.seq <= until))
  const problems = source.problems.map((problem) => ({ code: problem.code, message: problem.message }))
  if (values.json) {
    process.stdout.write(`${JSON.stringify(summarize(state, problems))}\n`)
    return 0
  }
  for (const problem of source.problems) process.stderr.write(`tether replay: ${file}: ${problem.message}\n`)
  process.stdout.write(`${renderTranscript(state)}\n`)
  if (source.kind === 'run-log') process.stdout.write(`\n${renderMetrics(summarizeMetrics(state))}\n`)
  return 0
}
