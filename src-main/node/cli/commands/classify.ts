import { realpath, stat } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { APPROVAL_MODES, DEFAULT_APPROVAL_MODE, isApprovalMode } from '../../../common/run/approval-modes'
import { escapeForDisplay } from '../../../common/text/display-text'
import type { PolicyVerdict } from '../../policy/approval-policy'
import { TetherPolicy } from '../../policy/tether-policy'
import { DataDir, defaultDataDir } from '../../store/data-dir'
import { CliError, EXIT_USAGE } from '../cli-error'

const HELP = `usage: tether classify [--json] [--mode MODE] [--workspace DIR] -- COMMAND...
       tether classify --lines [--mode MODE] [--workspace DIR] < COMMANDS.jsonl

Says whether Tether would run a shell command without asking (allow), ask first (ask), or ask
with the destructive-floor warning (forbid), and why. Nothing is run. The words after -- are
joined with spaces and parsed as bash, as the shell tool would receive them. Control, bidi and
invisible characters in the reasons are shown escaped (\x1b, \u202e).

  --json            print {"decision": ..., "reasons": [...]}
  --lines           read commands from standard input, one JSON string per line, and print one
                    {"decision": ..., "reasons": [...]} line for each, in order
  --mode MODE       ${APPROVAL_MODES.join(', ')} (default ${DEFAULT_APPROVAL_MODE})
  --workspace DIR   the repository the command would run in (default: the current directory);
                    its saved rules apply`

// Reasons quote the command: they are escaped like every text shown for a decision.
function readable(verdict: PolicyVerdict): string {
  const lines = [`${verdict.decision}${verdict.refusal === null ? '' : ' (refused without asking)'}`]
  for (const reason of verdict.reasons) lines.push(`  - ${escapeForDisplay(reason)}`)
  if (verdict.suggestedRule !== null) lines.push(`  rule "always" would save: ${escapeForDisplay(verdict.suggestedRule.join(' '))}`)
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
        lines: { type: 'boolean' },
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
  if (values.lines && positionals.length > 0) throw new CliError(`--lines reads the commands from standard input, not after --\n${HELP}`, EXIT_USAGE)
  if (!values.lines && positionals.length === 0) throw new CliError(`no command to classify\n${HELP}`, EXIT_USAGE)
  const commands = values.lines ? commandLines(await readStdin()) : [positionals.join(' ')]
  const workspace = await workspaceOf(values.workspace ?? process.cwd())
  const policy = new TetherPolicy({ dataDir: new DataDir(defaultDataDir()) })
  const out: string[] = []
  for (const command of commands) {
    const verdict = await policy.evaluate({ runId: 'classify', tool: 'shell', subject: { kind: 'shell', command }, mode, sandboxed: true, workspace })
    const json = { decision: verdict.decision, reasons: verdict.reasons.map(escapeForDisplay) }
    out.push(values.json || values.lines ? JSON.stringify(json) : readable(verdict))
  }
  process.stdout.write(`${out.join('\n')}\n`)
  return 0
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** One JSON string per line (a command may hold newlines); blank lines are skipped. */
function commandLines(text: string): string[] {
  return text.split('\n').flatMap((line, index) => {
    if (line.trim().length === 0) return []
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      throw new CliError(`--lines: line ${index + 1} is not JSON; write each command as a JSON string, e.g. "git status"`, EXIT_USAGE)
    }
    if (typeof value !== 'string') throw new CliError(`--lines: line ${index + 1} is not a JSON string`, EXIT_USAGE)
    return [value]
  })
}
