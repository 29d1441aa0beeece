import { parseArgs } from 'node:util'
import { escapeForTerminal, escapePath } from '../../../common/text/display-text'
import { SnapshotStore } from '../../snapshots/snapshot-store'
import { describeStep } from '../../snapshots/restore'
import { RunDriver, RunNotFoundError } from '../../driver/run-driver'
import { DataDir, defaultDataDir } from '../../store/data-dir'
import { ApplyError, applyRunChanges } from '../../repo/apply-run'
import { CliError, EXIT_FAILURE, EXIT_USAGE } from '../cli-error'

const HELP = `usage: tether apply RUN_ID [--dry-run]

Brings the changes of a run made with \`tether run --worktree\` into your working tree as
uncommitted changes. HEAD, the index and your branches do not move. If a path the run changed
was also changed in your working tree since the run started, nothing at all is written and the
conflicting paths are listed.

  --dry-run   print what would be written, and write nothing

Exit status: 0 applied (or nothing to apply), 1 conflicts or failures, 2 usage error.`

export async function applyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } }
  })
  if (values.help) {
    process.stdout.write(`${HELP}\n`)
    return 0
  }
  const [runId, ...extra] = positionals
  if (runId === undefined || extra.length > 0) throw new CliError(`name one run\n${HELP}`, EXIT_USAGE)
  const dataDir = new DataDir(defaultDataDir())
  const state = await RunDriver.peek(dataDir, runId).catch((error: unknown) => {
    if (error instanceof RunNotFoundError) throw new CliError(error.message, EXIT_USAGE)
    throw error
  })
  if (!state.worktree || !state.workspace) throw new CliError(`run ${runId} did not run in its own worktree (\`tether run --worktree\`); its changes are already in ${state.workspace ?? 'its workspace'}`, EXIT_USAGE)
  const dryRun = values['dry-run']
  let report
  try {
    report = await applyRunChanges(new SnapshotStore(dataDir.snapshots), runId, state.workspace, state.worktree.repo, dryRun)
  } catch (error) {
    if (error instanceof ApplyError) throw new CliError(error.message, EXIT_FAILURE)
    throw error
  }
  if (report.conflicts.length > 0) {
    for (const { path, reason } of report.conflicts) process.stderr.write(`conflict ${escapePath(path)}: ${escapeForTerminal(reason)}\n`)
    process.stderr.write(`nothing was applied: ${report.conflicts.length} path${report.conflicts.length === 1 ? '' : 's'} changed in ${state.worktree.repo} as well; commit, stash or undo those first\n`)
    return EXIT_FAILURE
  }
  for (const step of report.steps) process.stdout.write(`${describeStep(step)}\n`)
  for (const { path, reason } of report.outcome?.failed ?? []) process.stderr.write(`failed  ${escapePath(path)}: ${escapeForTerminal(reason)}\n`)
  const count = report.steps.length
  process.stderr.write(
    dryRun
      ? `would write ${count} path${count === 1 ? '' : 's'} in ${state.worktree.repo}; nothing was changed\n`
      : `applied ${count} path${count === 1 ? '' : 's'} to ${state.worktree.repo} as uncommitted changes (branch ${state.worktree.branch} keeps the run's work)\n`
  )
  return (report.outcome?.failed.length ?? 0) > 0 ? EXIT_FAILURE : 0
}
