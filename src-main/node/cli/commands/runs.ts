import { parseArgs } from 'node:util'
import { DataDir, defaultDataDir } from '../../store/data-dir'
import { listRuns } from '../../store/run-index'

const HELP = `usage: tether runs [--json]

Lists the runs in the data dir (TETHER_HOME, or the platform default), newest first.`

function seconds(ms: number | null): string {
  return ms === null ? '-' : `${(ms / 1000).toFixed(1)}s`
}

export async function runsCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } })
  if (values.help) {
    process.stdout.write(`${HELP}\n`)
    return 0
  }
  const runs = await listRuns(new DataDir(defaultDataDir()))
  if (values.json) {
    process.stdout.write(`${JSON.stringify(runs)}\n`)
    return 0
  }
  if (runs.length === 0) {
    process.stdout.write('no runs yet\n')
    return 0
  }
  for (const run of runs) {
    const started = run.startedAt === null ? '-' : new Date(run.startedAt).toISOString()
    process.stdout.write(`${run.id}  ${run.status.padEnd(11)} ${started}  ${seconds(run.durationMs).padStart(8)}  ${run.workspace ?? '-'}\n  ${run.path}\n`)
  }
  return 0
}
