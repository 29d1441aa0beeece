// What `tether run` shows on a terminal while a run streams: assistant text as it arrives, one
// line per tool call and its result, transport trouble, and the outcome. Every piece of text from
// the model, a tool or the server is escaped for the terminal (the view's own styling is not).
import { retryNotice } from '../../common/providers/error-classes'
import { summarizeItem } from '../../common/run/item-summary'
import type { RunRecord } from '../../common/run/records'
import { assertNever } from '../../common/run/records'
import type { RunState } from '../../common/run/state'
import { escapeForDisplay, escapeForTerminal, escapePath, terminalSafeOutput } from '../../common/text/display-text'

const OUTPUT_LINES = 6
/** Item types the live view shows as they stream (text, thinking) or as tool lines. */
const SHOWN_ELSEWHERE = new Set(['message', 'reasoning', 'function_call'])

export interface LiveViewStyle {
  dim: (text: string) => string
  bold: (text: string) => string
  warn: (text: string) => string
}

export const PLAIN_STYLE: LiveViewStyle = { dim: (t) => t, bold: (t) => t, warn: (t) => t }
export const ANSI_STYLE: LiveViewStyle = {
  dim: (t) => `\x1b[2m${t}\x1b[22m`,
  bold: (t) => `\x1b[1m${t}\x1b[22m`,
  warn: (t) => `\x1b[33m${t}\x1b[39m`
}

function tail(text: string): string {
  const lines = text.trimEnd().split('\n')
  const shown = lines.slice(0, OUTPUT_LINES)
  if (lines.length > OUTPUT_LINES) shown.push(`… ${lines.length - OUTPUT_LINES} more lines`)
  return shown.map((line) => `    ${line}`).join('\n')
}

function describeCall(name: string, args: string): string {
  try {
    const parsed = JSON.parse(args) as Record<string, unknown>
    const main = parsed.command ?? parsed.path ?? parsed.pattern ?? parsed.code
    if (typeof main === 'string') {
      const shown = escapeForDisplay(main)
      return `${name} ${shown.length > 120 ? `${shown.slice(0, 117)}…` : shown}`
    }
  } catch {
    // Broken arguments are shown raw; the tool answers the model with the error.
  }
  return `${name} ${escapeForDisplay(args)}`
}

export class LiveView {
  #write: (text: string) => void
  #style: LiveViewStyle
  #midLine = false

  constructor(write: (text: string) => void, style: LiveViewStyle) {
    this.#write = write
    this.#style = style
  }

  #line(text: string): void {
    if (this.#midLine) this.#write('\n')
    this.#midLine = false
    this.#write(`${text}\n`)
  }

  show(record: RunRecord, state: RunState): void {
    const { dim, bold, warn } = this.#style
    switch (record.type) {
      case 'server.event': {
        const event = record.event
        if (event.type === 'response.output_text.delta') {
          this.#write(escapeForTerminal(event.delta))
          this.#midLine = !event.delta.endsWith('\n')
        } else if (event.type === 'response.reasoning_summary_text.done' || event.type === 'response.reasoning_text.done') {
          this.#line(dim(`(thinking) ${escapeForTerminal(event.text)}`))
        } else if (event.type === 'response.output_item.done' && !SHOWN_ELSEWHERE.has(event.item.type)) {
          this.#line(dim(escapeForTerminal(`· ${event.item.type}: ${summarizeItem(event.item)}`)))
        } else if (event.type === 'response.refusal.done') {
          this.#line(warn(`refused: ${escapeForTerminal(event.refusal)}`))
        } else if (event.type === 'error') {
          this.#line(warn(`server error: ${escapeForTerminal('error' in event && event.error ? event.error.message : (event as { message?: string }).message ?? '')}`))
        }
        return
      }
      case 'tool.started':
        this.#line(bold(`▸ ${describeCall(record.name, record.arguments)}`))
        return
      case 'tool.finished': {
        const exit = record.exitCode === null ? '' : ` exit ${record.exitCode}`
        const seconds = (record.durationMs / 1000).toFixed(1)
        const mark = record.status === 'ok' ? '✓' : '✗'
        this.#line(dim(`  ${mark} ${record.status}${exit} (${seconds}s)`))
        if (record.output.trim().length > 0) this.#line(dim(tail(terminalSafeOutput(record.output))))
        return
      }
      case 'approval.decided':
        if (record.by !== 'person') this.#line(dim(`  ${record.decision === 'allow' ? 'allowed' : 'denied'} by ${record.by}`))
        return
      case 'transport.changed':
        if (record.state === 'reconnecting') this.#line(warn(`⟳ reconnecting ${record.attempt}/${record.maxAttempts}: ${escapeForTerminal(record.reason ?? '')}`))
        else if (record.state === 'fell_back') this.#line(warn(`⇣ fell back to HTTP + SSE: ${escapeForTerminal(record.reason ?? '')}`))
        else if (record.state === 'rotated') this.#line(dim(`⟳ new connection: ${escapeForTerminal(record.reason ?? '')}`))
        return
      case 'server.malformed':
        this.#line(warn(`malformed frame from the server: ${escapeForTerminal(record.error.message)}`))
        return
      case 'request.failed':
        this.#line(warn(`request failed: ${escapeForTerminal(record.message)}`))
        return
      case 'retry.scheduled':
        this.#line(warn(`⟳ ${retryNotice(record.errorClass, record.delayMs)} (${record.attempt}/${record.maxAttempts}): ${escapeForTerminal(record.message)}`))
        return
      case 'context.compacted':
        this.#line(dim(`⇲ context compacted (${record.method === 'server' ? 'by the server' : 'summarised'}${record.tokensBefore === null ? '' : ` at ${record.tokensBefore.toLocaleString('en-US')} tokens`}): ${record.reason}`))
        return
      case 'checkpoint.saved':
        // File names are the run's to choose: any byte but `/`, an escape sequence included.
        if (record.phase === 'after' && record.changedCount > 0) this.#line(dim(`  changed ${record.changedCount} path${record.changedCount === 1 ? '' : 's'}: ${record.changed.slice(0, 5).map(escapePath).join(', ')}${record.changedCount > 5 ? ', …' : ''}`))
        for (const note of record.notes) this.#line(warn(`  checkpoint: ${escapeForTerminal(note).replaceAll('\n', '\\n')}`))
        return
      case 'workspace.rewound':
        this.#line(bold(`↶ rewound to before ${record.beforeCallId}: ${record.changedCount} path${record.changedCount === 1 ? '' : 's'} put back`) + (record.failed.length > 0 ? warn(`, ${record.failed.length} could not be`) : ''))
        return
      case 'run.finished':
        this.#line(bold(`■ ${record.outcome}${record.reason ? `: ${escapeForTerminal(record.reason)}` : ''}`) + dim(`  (run ${state.runId})`))
        return
      case 'run.started':
      case 'run.resumed':
      case 'request.sent':
      case 'tool.output':
      case 'approval.requested':
      case 'user.input':
      case 'metrics.turn':
      case 'metrics.tool':
      case 'metrics.usage':
      case 'log.repaired':
        return
      default:
        assertNever(record, 'run record')
    }
  }
}
