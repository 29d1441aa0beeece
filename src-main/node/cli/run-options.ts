// Flags of `tether run`, validated into what the run driver needs.
import { parseArgs } from 'node:util'
import { APPROVAL_MODE_INFO, APPROVAL_MODES, DEFAULT_APPROVAL_MODE, isApprovalMode } from '../../common/run/approval-modes'
import type { SettingsChange, Transport } from '../../common/run/records'
import {
  isReasoningEffort,
  isReasoningSummary,
  REASONING_EFFORTS,
  REASONING_SUMMARIES,
  type ReasoningEffort,
  type ReasoningSummary
} from '../../common/providers/reasoning'
import { invalidHomeAllowlistEntries } from '../tools/sandbox/home-view'
import { DEFAULT_PROVIDER, PROVIDER_NAMES, PROVIDERS } from '../../common/providers/providers'
import { CliError, EXIT_USAGE } from './cli-error'

/** Providers with a base URL of their own: the ones named by --provider alone. */
const NAMED_PROVIDERS = PROVIDER_NAMES.filter((name) => PROVIDERS[name].baseUrl !== null)

function summaryDefaults(): string {
  const asking = PROVIDER_NAMES.filter((name) => PROVIDERS[name].defaultReasoningSummary !== 'none')
  const rest = asking.length < PROVIDER_NAMES.length ? ', none elsewhere' : ''
  return `${asking.map((name) => `${PROVIDERS[name].defaultReasoningSummary} for ${PROVIDERS[name].label}`).join(', ')}${rest}`
}

export const RUN_HELP = `usage: tether run --workspace DIR [options] TASK
       tether run --resume RUN_ID [options]

Runs an agent on a local repository: the model plans, Tether runs its tool calls in the sandbox
and asks before risky ones. The run log lands under TETHER_HOME (see \`tether runs\`).

  --workspace DIR        the repository to work in
  --worktree             work in a new git worktree of it (branch tether/RUN_ID, beside the data
                         dir); your working tree and branch stay untouched (see \`tether apply\`)
  --provider NAME        ${NAMED_PROVIDERS.map((name) => `${name} (${PROVIDERS[name].keyVariable}${name === DEFAULT_PROVIDER ? ', default' : ''})`).join(', ')} or custom
  --base-url URL         any Responses-compatible server (key from ${PROVIDERS.custom.keyVariable})
  --model M              model name (default: ${NAMED_PROVIDERS.map((name) => `${PROVIDERS[name].defaultModel} for ${PROVIDERS[name].label}`).join(', ')})
  --transport ws|sse     WebSocket (default) or HTTP + SSE
  --approval MODE        what runs without asking (default ${DEFAULT_APPROVAL_MODE}):
${APPROVAL_MODES.map((mode) => `                           ${mode.padEnd(16)} ${APPROVAL_MODE_INFO[mode].summary}`).join('\n')}
  --store                let the server store responses (default: not stored)
  --reasoning-effort E   ${REASONING_EFFORTS.join('|')} (default: the model's own)
  --reasoning-summary S  ${REASONING_SUMMARIES.join('|')} (default: ${summaryDefaults()})
  --allow-network HOSTS  comma-separated hosts the sandboxed shell may reach
  --home-allow DIRS      comma-separated home folders (e.g. .cargo/bin) the sandbox shows read-only,
                         besides the settings' home allowlist
  --mcp-config FILE      your MCP servers, in the .mcp.json shape ({"mcpServers": {...}})
  --allow-project-mcp    also start the servers of the workspace's .mcp.json (it is never used unasked)
  --sim                  use the built-in scripted model server instead of a provider; no key needed
  --scenario NAME|FILE   the sim's scenario (default: demo)
  --resume RUN_ID        continue a run from its log (a pending approval is asked again); --model,
                         --transport, --approval, --store, --reasoning-effort, --reasoning-summary
                         and --allow-network given with it change the run from here on, and
                         Tether says which it applied
  --json                 print every run record as one JSON line instead of the live view

Exit status: 0 completed, 1 failed, 3 incomplete, 130 interrupted, 2 usage error.`

export const DEFAULT_TRANSPORT: Transport = 'ws'

export interface RunCliOptions {
  workspace: string | null
  /** Run in a fresh git worktree of the workspace instead of the workspace itself. */
  worktree: boolean
  resume: string | null
  task: string | null
  provider: string | undefined
  baseUrl: string | undefined
  /** The settings flags the person gave: for a new run over the defaults, for a resume over what the run was recorded with. */
  settings: SettingsChange
  /** null: not given (a new run takes the model's default effort; a resume keeps the recorded one). */
  reasoningEffort: ReasoningEffort | null
  /** null: not given (a new run takes the provider's default, see PROVIDERS; a resume keeps the recorded one). */
  reasoningSummary: ReasoningSummary | null
  /** Home folders shown inside the sandbox on top of the settings' list. */
  homeAllow: string[]
  mcpConfig: string | null
  allowProjectMcp: boolean
  /** The sim's scenario when the run talks to the built-in sim. */
  sim: string | null
  json: boolean
  help: boolean
}

export function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
}

export function parseRunOptions(args: string[]): RunCliOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      workspace: { type: 'string' },
      worktree: { type: 'boolean', default: false },
      resume: { type: 'string' },
      provider: { type: 'string' },
      'base-url': { type: 'string' },
      model: { type: 'string' },
      transport: { type: 'string' },
      approval: { type: 'string' },
      store: { type: 'boolean' },
      'reasoning-effort': { type: 'string' },
      'reasoning-summary': { type: 'string' },
      'allow-network': { type: 'string' },
      'home-allow': { type: 'string' },
      'mcp-config': { type: 'string' },
      'allow-project-mcp': { type: 'boolean', default: false },
      sim: { type: 'boolean', default: false },
      scenario: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false }
    }
  })
  const { transport, approval } = values
  if (transport !== undefined && transport !== 'ws' && transport !== 'sse') throw new CliError(`--transport must be ws or sse, got '${transport}'`, EXIT_USAGE)
  if (approval !== undefined && !isApprovalMode(approval)) throw new CliError(`--approval must be one of ${APPROVAL_MODES.join(', ')}`, EXIT_USAGE)
  const effort = values['reasoning-effort']
  if (effort !== undefined && !isReasoningEffort(effort)) throw new CliError(`--reasoning-effort must be one of ${REASONING_EFFORTS.join(', ')}`, EXIT_USAGE)
  const summary = values['reasoning-summary']
  if (summary !== undefined && !isReasoningSummary(summary)) throw new CliError(`--reasoning-summary must be one of ${REASONING_SUMMARIES.join(', ')}`, EXIT_USAGE)
  const settings: SettingsChange = {
    ...(values.model === undefined ? {} : { model: values.model }),
    ...(transport === undefined ? {} : { transport }),
    ...(approval === undefined ? {} : { approvalMode: approval }),
    ...(values.store === undefined ? {} : { store: values.store }),
    ...(values['allow-network'] === undefined ? {} : { networkAllowlist: commaList(values['allow-network']) })
  }
  const task = positionals.length > 0 ? positionals.join(' ') : null
  const options: RunCliOptions = {
    workspace: values.workspace ?? null,
    worktree: values.worktree,
    resume: values.resume ?? null,
    task,
    provider: values.provider,
    baseUrl: values['base-url'],
    settings,
    reasoningEffort: effort ?? null,
    reasoningSummary: summary ?? null,
    homeAllow: commaList(values['home-allow']),
    mcpConfig: values['mcp-config'] ?? null,
    allowProjectMcp: values['allow-project-mcp'],
    sim: values.sim || values.scenario !== undefined ? (values.scenario ?? 'demo') : null,
    json: values.json,
    help: values.help
  }
  if (options.help) return options
  const invalidHome = invalidHomeAllowlistEntries(options.homeAllow)
  if (invalidHome.length > 0) throw new CliError(`--home-allow: ${invalidHome.join('; ')}`, EXIT_USAGE)
  if (options.resume === null && (options.workspace === null || options.task === null)) {
    throw new CliError(`a new run needs --workspace DIR and a TASK\n${RUN_HELP}`, EXIT_USAGE)
  }
  if (options.resume !== null && options.worktree) throw new CliError('--resume continues a run where it was; drop --worktree', EXIT_USAGE)
  if (options.resume !== null && options.workspace !== null) throw new CliError('--resume continues a run in its own workspace; drop --workspace', EXIT_USAGE)
  return options
}


