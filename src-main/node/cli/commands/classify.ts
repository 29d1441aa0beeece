import { realpath, stat } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { APPROVAL_MODES, DEFAULT_APPROVAL_MODE, isApprovalMode } from '../../../common/run/approval-modes'
import type { PolicyVerdict } from '../../policy/approval-policy'
import { TetherPolicy } from '../../policy/tether-policy'
import { DataDir, defaultDataDir } from '../../store/data-dir'
import { CliError, EXIT_USAGE } from '../cli-error'

const HELP = `usage: tether classify [--json] [--mode MODE] [--workspace DIR] -- COMMAND...

Says whether Tether would run a shell command without asking (allow), ask first (ask), or ask
with the destructive-floor warning (forbid), and why. Nothing is run. The words after -- are
joined with spaces and parsed as bash, as the shell tool would receive them.

  --json            print {"decision": ..., "reasons": [...]}
  --mode MODE       ${APPROVAL_MODES.join(', ')} (default ${DEFAULT_APPROVAL_MODE})
  --workspace DIR   the repository the command would run in (default: the current directory);
                    its saved rules apply`

function readable(verdict: PolicyVerdict): string {
  const lines = [`${verdict.decision}${verdict.refusal === null ? '' : ' (refused without asking)'}`]
  for (const reason of verdict.reasons) lines.push(`  - ${reason}`)
  if (verdict.suggestedRule !== null) lines.push(`  rule "always" would save: ${verdict.suggestedRule.join(' ')}`)
  return lines.join('\n')
}

async function workspaceOf(path: string): Promise<string> {
  const info = await stat(path).catch(() => null)
  if (!info?.isDirectory()) throw new CliError(`--workspace ${path} is not a directory`, EXIT_USAGE)
  return realpath(path)
}

export async function classifyCommand(args: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        mode: { type: 'string' },
        workspace: { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      }
    })
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${HELP}`, EXIT_USAGE)
  }
  const { values, positionals } = parsed
  if (values.help) {
    process.stdout.write(`${HELP}\n`)
    return 0
  }
  const mode = values.mode ?? DEFAULT_APPROVAL_MODE
  if (!isApprovalMode(mode)) throw new CliError(`unknown mode '${mode}'; the modes are ${APPROVAL_MODES.join(', ')}`, EXIT_USAGE)
  if (positionals.length === 0) throw new CliError(`no command to classify\n${HELP}`, EXIT_USAGE)
  const command = positionals.join(' ')
  const workspace = await workspaceOf(values.workspace ?? process.cwd())
  const policy = new TetherPolicy({ dataDir: new DataDir(defaultDataDir()) })
  const verdict = await policy.evaluate({
    runId: 'classify',
    tool: 'shell',
    subject: { kind: 'shell', command },
    mode,
    sandboxed: true,
    workspace
  })
  process.stdout.write(values.json ? `${JSON.stringify({ decision: verdict.decision, reasons: verdict.reasons })}\n` : `${readable(verdict)}\n`)
  return 0
}
