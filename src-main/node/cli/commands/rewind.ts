import { parseArgs } from 'node:util'
import { escapeForTerminal, escapePath } from '../../../common/text/display-text'
import { readCheckpointLog } from '../../snapshots/checkpoint-log'
import { describeStep } from '../../snapshots/restore'
import { RewindError, rewindPoints } from '../../snapshots/rewind'
import { rewindStoppedRun } from '../../snapshots/rewind-run'
import { SnapshotStore } from '../../snapshots/snapshot-store'
import { RunDriver, RunNotFoundError } from '../../driver/run-driver'
import { DataDir, defaultDataDir } from '../../store/data-dir'
import { CliError, EXIT_FAILURE, EXIT_USAGE } from '../cli-error'

const HELP = `usage: tether rewind RUN_ID --before CALL_ID [--dry-run]
       tether rewind RUN_ID --list

Puts the run's workspace back exactly as it was before a call (content, permission bits,
symlinks, created and deleted files and folders), from the checkpoints Tether keeps under its
data dir. .git/ and files ignored by .gitignore are left alone. The rewind is recorded in the
run's log, and the state it replaced is kept: rewinding to a later call brings it back.

  --before CALL_ID   the call to rewind to (the workspace as it was just before it ran)
  --dry-run          print every path the rewind would change, and change nothing
  --list             print the checkpoints: call id, tool, time, one per line

Exit status: 0 done (or nothing to do), 1 some paths could not be put back, 2 usage error.`

export async function rewindCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      before: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false }
    }
  })
  if (values.help) {
    process.stdout.write(`${HELP}\n`)
    return 0
  }
  const [runId, ...extra] = positionals
  if (runId === undefined || extra.length > 0) throw new CliError(`name one run\n${HELP}`, EXIT_USAGE)
  if (!values.list && values.before === undefined) throw new CliError(`--before CALL_ID or --list is needed\n${HELP}`, EXIT_USAGE)
  const dataDir = new DataDir(defaultDataDir())
  const state = await RunDriver.peek(dataDir, runId).catch((error: unknown) => {
    if (error instanceof RunNotFoundError) throw new CliError(error.message, EXIT_USAGE)
    throw error
  })
  if (values.list) {
    for (const point of rewindPoints(await readCheckpointLog(new SnapshotStore(dataDir.snapshots).checkpointLog(runId)))) {
      process.stdout.write(`${escapePath(point.callId ?? '-')}  ${escapePath(point.tool ?? '-')}  ${new Date(point.at).toISOString()}\n`)
    }
    return 0
  }
  if (!state.workspace) throw new CliError(`run ${runId} has no workspace`, EXIT_USAGE)
  const dryRun = values['dry-run']
  let report
  try {
    report = (await rewindStoppedRun(dataDir, runId, state.workspace, values.before!, dryRun)).report
  } catch (error) {
    if (error instanceof RewindError) throw new CliError(error.message, EXIT_FAILURE)
    throw error
  }
  const { plan, outcome } = report
  for (const step of plan.steps) process.stdout.write(`${describeStep(step)}\n`)
  for (const { path, reason } of plan.unrestorable) process.stdout.write(`cannot  ${escapePath(path)}: ${escapeForTerminal(reason)}\n`)
  for (const { path, reason } of outcome?.failed ?? []) process.stderr.write(`failed  ${escapePath(path)}: ${escapeForTerminal(reason)}\n`)
  const count = plan.steps.length
  const summary = dryRun
    ? `${count === 0 ? 'nothing would change' : `would change ${count} path${count === 1 ? '' : 's'}`}; nothing was changed`
    : `${count === 0 ? 'nothing to change' : `changed ${outcome!.changed.length} path${outcome!.changed.length === 1 ? '' : 's'}`} in ${state.workspace}`
  process.stderr.write(`${summary}\n`)
  return (outcome?.failed.length ?? 0) > 0 || plan.unrestorable.length > 0 ? EXIT_FAILURE : 0
}
