// One line per run record, for the replay timeline.
import type { RunRecord } from '../../../src-main/common/run/records'
import { assertNever } from '../../../src-main/common/run/records'
import { retryNotice } from '../../../src-main/common/providers/error-classes'
import { escapeForDisplay } from '../../../src-main/common/text/display-text'

function clip(text: string, length = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat
}

export function recordLabel(record: RunRecord): string {
  switch (record.type) {
    case 'run.started':
      return `Run started · ${record.model}`
    case 'run.resumed':
      return `Resumed · ${record.reason}`
    case 'request.sent':
      return `Turn ${record.turn} sent (${record.mode}, ${record.input.length} item${record.input.length === 1 ? '' : 's'}, ${record.bytes} B)`
    case 'request.failed':
      return `Request failed · ${record.code ?? record.status ?? ''} ${clip(record.message)}`
    case 'retry.scheduled':
      return `Retry ${record.attempt}/${record.maxAttempts} · ${retryNotice(record.errorClass, record.delayMs)}`
    case 'server.event': {
      const event = record.event as { type: string; delta?: unknown }
      return typeof event.delta === 'string' ? `${event.type} “${clip(event.delta, 40)}”` : event.type
    }
    case 'server.malformed':
      return `Malformed frame · ${record.error.code}`
    case 'tool.started':
      return `Tool started · ${record.name}`
    case 'tool.output':
      return `Tool output · ${record.data.length} chars`
    case 'tool.finished':
      return `Tool finished · ${record.status}${record.exitCode === null ? '' : ` (exit ${record.exitCode})`}`
    case 'approval.requested':
      return `Approval asked · ${clip(escapeForDisplay(record.subject), 60)}`
    case 'approval.decided':
      return `Approval ${record.decision === 'allow' ? 'given' : 'refused'} · ${record.scope} by ${record.by}`
    case 'user.input':
      return record.kind === 'interrupt' ? 'Interrupted' : `${record.kind === 'task' ? 'Task' : 'Steer'} · ${clip(record.text, 60)}`
    case 'transport.changed':
      return `Transport ${record.state.replace('_', ' ')} (${record.transport})${record.attempt ? ` ${record.attempt}/${record.maxAttempts ?? '?'}` : ''}`
    case 'metrics.turn':
      return `Turn ${record.turn} metrics · ${Math.round(record.durationMs)} ms`
    case 'metrics.tool':
      return `Tool metrics · run ${Math.round(record.runMs)} ms`
    case 'context.compacted':
      return `Context compacted · ${record.method === 'server' ? 'by the server' : 'summarised'}${record.tokensBefore === null ? '' : ` at ${record.tokensBefore} tokens`}`
    case 'metrics.usage':
      return `Usage · ${record.inputTokens} in, ${record.outputTokens} out${record.costUsd === null ? '' : ` · $${record.costUsd.toFixed(4)}`}`
    case 'log.repaired':
      return `Log repaired · ${record.truncatedBytes} bytes cut`
    case 'checkpoint.saved':
      return `Checkpoint ${record.phase} the call · ${record.changedCount} path${record.changedCount === 1 ? '' : 's'} changed`
    case 'workspace.rewound':
      return `Rewound to before ${record.beforeCallId} · ${record.changedCount} path${record.changedCount === 1 ? '' : 's'} put back`
    case 'run.finished':
      return `Run finished · ${record.outcome}${record.reason ? ` (${clip(record.reason, 50)})` : ''}`
    default:
      return assertNever(record, 'run record')
  }
}
