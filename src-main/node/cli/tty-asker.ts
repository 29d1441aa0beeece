// Asks the person at the terminal about one tool call.
import { createInterface } from 'node:readline/promises'
import type { ApprovalRequestedRecord } from '../../common/run/records'
import type { PersonDecision } from '../policy/approval-policy'
import type { LiveViewStyle } from './live-view'

export function describeApproval(request: ApprovalRequestedRecord, style: LiveViewStyle): string {
  const lines = [style.bold(`? ${request.tool} wants to run:`), `    ${request.subject}`]
  if (request.risk === 'forbid') lines.push(style.warn('  ! This is on the destructive floor: it can lose work that no undo brings back.'))
  for (const reason of request.reasons) lines.push(style.dim(`  - ${reason}`))
  if (request.subcommands.length > 1) lines.push(style.dim(`  sub-commands: ${request.subcommands.join('  |  ')}`))
  lines.push(style.dim(request.sandboxed ? '  runs inside the sandbox' : '  runs WITHOUT the OS sandbox'))
  return lines.join('\n')
}

export async function askOnTerminal(
  request: ApprovalRequestedRecord,
  style: LiveViewStyle,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout
): Promise<PersonDecision> {
  const rl = createInterface({ input, output, terminal: false })
  try {
    output.write(`\n${describeApproval(request, style)}\n`)
    const always = request.suggestedRule ? ` [a] always allow \`${request.suggestedRule.join(' ')}\` in this repo` : ''
    for (;;) {
      const answer = (await rl.question(`  [y] allow once  [r] allow for this run${always}  [n] deny > `)).trim().toLowerCase()
      // Enter alone allows once, except on the floor, where only an explicit answer does.
      if (answer === 'y' || (answer === '' && request.risk !== 'forbid')) return { decision: 'allow', scope: 'once', message: null }
      if (answer === 'r') return { decision: 'allow', scope: 'run', message: null }
      if (answer === 'a' && request.suggestedRule) return { decision: 'allow', scope: 'always', message: null }
      if (answer === 'n') {
        const message = (await rl.question('  tell the model why (optional) > ')).trim()
        return { decision: 'deny', scope: 'once', message: message.length > 0 ? message : null }
      }
    }
  } finally {
    rl.close()
  }
}
