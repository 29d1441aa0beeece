// Asks the person at the terminal about one tool call.
import { createInterface } from 'node:readline/promises'
import type { ApprovalRequestedRecord } from '../../common/run/records'
import { escapeForDisplay } from '../../common/text/display-text'
import type { PersonDecision } from '../policy/approval-policy'
import type { LiveViewStyle } from './live-view'

/** Everything about the call is shown escaped: a control or bidi character never reaches the terminal raw. */
export function describeApproval(request: ApprovalRequestedRecord, style: LiveViewStyle): string {
  const subject = escapeForDisplay(request.subject).replaceAll('\n', '\n    ')
  const lines = [style.bold(`? ${request.tool} wants to run:`), `    ${subject}`]
  if (request.risk === 'forbid') {
    lines.push(style.warn('  ! This is on the destructive floor: it can destroy work, plant code that runs later, or read secrets, and no mode or rule lets it run unasked.'))
  }
  for (const reason of request.reasons) lines.push(style.dim(`  - ${escapeForDisplay(reason)}`))
  if (request.subcommands.length > 1) lines.push(style.dim(`  sub-commands: ${request.subcommands.map(escapeForDisplay).join('  |  ')}`))
  lines.push(style.dim(request.sandboxed ? '  runs inside the sandbox' : '  runs WITHOUT the OS sandbox'))
  return lines.join('\n')
}

/** Asks until the person answers; an interrupt (the signal) closes the prompt and rejects. */
export async function askOnTerminal(
  request: ApprovalRequestedRecord,
  style: LiveViewStyle,
  signal?: AbortSignal,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout
): Promise<PersonDecision> {
  const rl = createInterface({ input, output, terminal: false })
  const ask = (question: string): Promise<string> => rl.question(question, { signal: signal ?? new AbortController().signal })
  try {
    output.write(`\n${describeApproval(request, style)}\n`)
    // Scopes beyond "once" need a rule to remember; where none is safe, only "once" is offered.
    const rule = request.suggestedRule ? `\`${escapeForDisplay(request.suggestedRule.join(' '))}\`` : null
    const choices = rule ? `  [y] allow once  [r] allow ${rule} for this run  [a] always in this repo  [n] deny > ` : '  [y] allow once  [n] deny > '
    for (;;) {
      const answer = (await ask(choices)).trim().toLowerCase()
      // Enter alone allows once, except on the floor, where only an explicit answer does.
      if (answer === 'y' || (answer === '' && request.risk !== 'forbid')) return { decision: 'allow', scope: 'once', message: null }
      if (answer === 'r' && rule) return { decision: 'allow', scope: 'run', message: null }
      if (answer === 'a' && rule) return { decision: 'allow', scope: 'always', message: null }
      if (answer === 'n') {
        const message = (await ask('  tell the model why (optional) > ')).trim()
        return { decision: 'deny', scope: 'once', message: message.length > 0 ? message : null }
      }
    }
  } finally {
    rl.close()
  }
}
