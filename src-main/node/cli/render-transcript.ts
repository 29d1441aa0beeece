// The human-readable transcript `tether replay` prints. Everything in it came from a model, a
// tool or a log file, so it is escaped for the terminal as a whole before it is printed.
import { assertNever } from '../../common/run/records'
import type { MetricsSummary } from '../../common/run/metrics-summary'
import type { ItemView, RunState } from '../../common/run/state'
import { lastResponseStatus } from '../../common/run/summary'
import { escapeForTerminal, terminalSafeOutput } from '../../common/text/display-text'

const OUTPUT_PREVIEW_LINES = 8

function indent(text: string, prefix = '  '): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n')
}

function preview(text: string): string {
  const lines = text.trimEnd().split('\n')
  if (lines.length <= OUTPUT_PREVIEW_LINES) return lines.join('\n')
  return [...lines.slice(0, OUTPUT_PREVIEW_LINES), `… ${lines.length - OUTPUT_PREVIEW_LINES} more lines`].join('\n')
}

function renderItem(state: RunState, item: ItemView): string | null {
  const response = state.responses[item.responseIndex]
  const dropped = response?.status === 'dropped' ? ' (dropped with the connection)' : ''
  switch (item.kind) {
    case 'message': {
      const phase = item.phase === null ? '' : ` (${item.phase.replace('_', ' ')})`
      return item.parts
        .map((part) => (part.type === 'refusal' ? `assistant refused${dropped}: ${part.text}` : `assistant${phase}${dropped}:\n${indent(part.text)}`))
        .join('\n')
    }
    case 'reasoning': {
      const blocks = [
        item.summary.length > 0 ? `thinking${dropped}:\n${indent(item.summary.join('\n'))}` : null,
        item.content.length > 0 ? `reasoning text${dropped}:\n${indent(item.content.join(''))}` : null
      ].filter((block): block is string => block !== null)
      return blocks.length > 0 ? blocks.join('\n\n') : null
    }
    case 'function_call': {
      const call = item.callId ? state.toolCalls[item.callId] : undefined
      return `call ${item.name ?? '?'} ${item.arguments}${dropped} [${call?.status ?? 'requested'}]`
    }
    case 'other':
      return `${item.itemType}${dropped}: ${item.summary}`
  }
}

export function renderTranscript(state: RunState): string {
  const blocks: string[] = []
  for (const entry of state.timeline) {
    switch (entry.kind) {
      case 'user': {
        const input = state.userInputs[entry.index]
        if (input) blocks.push(input.kind === 'interrupt' ? '(interrupted by the person)' : `${input.kind}:\n${indent(input.text)}`)
        break
      }
      case 'item': {
        const item = state.items[entry.key]
        const text = item ? renderItem(state, item) : null
        if (text) blocks.push(text)
        break
      }
      case 'tool_result': {
        const call = state.toolCalls[entry.callId]
        if (!call) break
        const exit = call.exitCode === null ? '' : `, exit ${call.exitCode}`
        blocks.push(`result of ${call.name} (${call.status}${exit}):\n${indent(preview(terminalSafeOutput(call.output ?? '')), '  │ ')}`)
        break
      }
      case 'resumed':
        blocks.push(`(resumed: ${entry.reason})`)
        break
      case 'compaction': {
        const compaction = state.compactions[entry.index]
        if (compaction) blocks.push(`(context compacted ${compaction.method === 'server' ? 'by the server' : 'into a summary'}: ${compaction.reason})`)
        break
      }
      default:
        assertNever(entry, 'timeline entry')
    }
  }
  for (const response of state.responses) {
    if (response.status === 'incomplete') blocks.push(`response ${response.id ?? '(unnamed)'} incomplete: ${response.incompleteReason ?? 'no reason given'}`)
  }
  for (const error of state.errors) blocks.push(`error [${error.code ?? error.source}]: ${error.message}`)
  blocks.push(`status: ${lastResponseStatus(state)}`)
  if (state.status !== 'empty' && state.status !== 'running') {
    blocks.push(`run ${state.status}${state.finishReason ? `: ${state.finishReason}` : ''}`)
  }
  return escapeForTerminal(blocks.join('\n\n'))
}

function ms(value: number | null): string {
  return value === null ? '-' : `${Math.round(value * 10) / 10} ms`
}

export function renderMetrics(metrics: MetricsSummary): string {
  const lines = [
    `turns ${metrics.turns} (${metrics.incrementalTurns} incremental, ${metrics.fullTurns} full), ${metrics.bytesSent} bytes sent`,
    `first event median ${ms(metrics.medianFirstEventMs)}, turn median ${ms(metrics.medianTurnMs)}`,
    `tool calls ${metrics.toolCalls}, run median ${ms(metrics.medianToolRunMs)}, waiting for approval ${ms(metrics.approvalWaitMs)}, for the tool host ${ms(metrics.hostWaitMs)}`,
    `reconnects ${metrics.reconnects}, rotations ${metrics.rotations}${metrics.fellBack ? ', fell back to HTTP' : ''}`,
    `duration ${ms(metrics.durationMs)}`
  ]
  return `metrics:\n${indent(lines.join('\n'))}`
}
