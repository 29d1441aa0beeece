// Flags of `tether run`, validated into what the run driver needs.
import { parseArgs } from 'node:util'
import type { ApprovalMode, Transport } from '../../common/run/records'
import {
  isReasoningEffort,
  isReasoningSummary,
  REASONING_EFFORTS,
  REASONING_SUMMARIES,
  type ReasoningEffort,
  type ReasoningSummary
} from '../../common/providers/reasoning'
import { CliError, EXIT_USAGE } from './cli-error'

export const RUN_HELP = `usage: tether run --workspace DIR [options] TASK
       tether run --resume RUN_ID [options]

Runs an agent on a local repository: the model plans, Tether runs its tool calls in the sandbox
and asks before risky ones. The run log lands under TETHER_HOME (see \`tether runs\`).

  --workspace DIR        the repository to work in
  --provider NAME        openai (OPENAI_API_KEY, default), xai (XAI_API_KEY) or custom
  --base-url URL         any Responses-compatible server (key from TETHER_API_KEY)
  --model M              model name (default: gpt-5.2 for OpenAI, grok-4.20-reasoning for xAI)
  --transport ws|sse     WebSocket (default) or HTTP + SSE
  --approval MODE        ask-risky (default), auto-in-sandbox, ask-always, read-only
  --store                let the server store responses (default: not stored)
  --reasoning-effort E   ${REASONING_EFFORTS.join('|')} (default: the model's own)
  --reasoning-summary S  ${REASONING_SUMMARIES.join('|')} (default: auto for OpenAI, none elsewhere)
  --allow-network HOSTS  comma-separated hosts the sandboxed shell may reach
  --sim                  use the built-in scripted model server instead of a provider; no key needed
  --scenario NAME|FILE   the sim's scenario (default: demo)
  --resume RUN_ID        continue a run from its log (a pending approval is asked again)
  --json                 print every run record as one JSON line instead of the live view

Exit status: 0 completed, 1 failed, 3 incomplete, 130 interrupted, 2 usage error.`

export const APPROVAL_MODES: readonly ApprovalMode[] = ['ask-risky', 'auto-in-sandbox', 'ask-always', 'read-only']

export interface RunCliOptions {
  workspace: string | null
  resume: string | null
  task: string | null
  provider: string | undefined
  baseUrl: string | undefined
  model: string | undefined
  transport: Transport
  approvalMode: ApprovalMode
  store: boolean
  /** null: the model's default effort. */
  reasoningEffort: ReasoningEffort | null
  /** null: the provider's default (see PROVIDERS). */
  reasoningSummary: ReasoningSummary | null
  networkAllowlist: string[]
  /** The sim's scenario when the run talks to the built-in sim. */
  sim: string | null
  json: boolean
  help: boolean
}

export function parseRunOptions(args: string[]): RunCliOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      workspace: { type: 'string' },
      resume: { type: 'string' },
      provider: { type: 'string' },
      'base-url': { type: 'string' },
      model: { type: 'string' },
      transport: { type: 'string', default: 'ws' },
      approval: { type: 'string', default: 'ask-risky' },
      store: { type: 'boolean', default: false },
      'reasoning-effort': { type: 'string' },
      'reasoning-summary': { type: 'string' },
      'allow-network': { type: 'string' },
      sim: { type: 'boolean', default: false },
      scenario: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false }
    }
  })
  const transport = values.transport
  if (transport !== 'ws' && transport !== 'sse') throw new CliError(`--transport must be ws or sse, got '${transport}'`, EXIT_USAGE)
  const approvalMode = values.approval as ApprovalMode
  if (!APPROVAL_MODES.includes(approvalMode)) throw new CliError(`--approval must be one of ${APPROVAL_MODES.join(', ')}`, EXIT_USAGE)
  const effort = values['reasoning-effort']
  if (effort !== undefined && !isReasoningEffort(effort)) throw new CliError(`--reasoning-effort must be one of ${REASONING_EFFORTS.join(', ')}`, EXIT_USAGE)
  const summary = values['reasoning-summary']
  if (summary !== undefined && !isReasoningSummary(summary)) throw new CliError(`--reasoning-summary must be one of ${REASONING_SUMMARIES.join(', ')}`, EXIT_USAGE)
  const task = positionals.length > 0 ? positionals.join(' ') : null
  const options: RunCliOptions = {
    workspace: values.workspace ?? null,
    resume: values.resume ?? null,
    task,
    provider: values.provider,
    baseUrl: values['base-url'],
    model: values.model,
    transport,
    approvalMode,
    store: values.store,
    reasoningEffort: effort ?? null,
    reasoningSummary: summary ?? null,
    networkAllowlist: (values['allow-network'] ?? '').split(',').map((host) => host.trim()).filter((host) => host.length > 0),
    sim: values.sim || values.scenario !== undefined ? (values.scenario ?? 'demo') : null,
    json: values.json,
    help: values.help
  }
  if (options.help) return options
  if (options.resume === null && (options.workspace === null || options.task === null)) {
    throw new CliError(`a new run needs --workspace DIR and a TASK\n${RUN_HELP}`, EXIT_USAGE)
  }
  if (options.resume !== null && options.workspace !== null) throw new CliError('--resume continues a run in its own workspace; drop --workspace', EXIT_USAGE)
  return options
}


