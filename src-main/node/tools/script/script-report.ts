// The JSON a script call answers with: status, result, logs and usage. A quota hit is named as
// such, so the model can tell "my code is wrong" from "my code was too expensive".
import { assertNever } from '../../../common/run/records'
import type { ScriptLimits } from '../host/host-protocol'
import type { ToolOutcome } from '../host/tool-outcome'
import type { ScriptReport } from './script-protocol'

function parsedOrText(json: string): unknown {
  try {
    return JSON.parse(json) as unknown
  } catch {
    return json
  }
}

function rounded(ms: number): number {
  return Math.round(ms * 10) / 10
}

export function scriptOutcome(report: ScriptReport, limits: ScriptLimits): ToolOutcome {
  const { end } = report
  const common = {
    logs: report.logs,
    ...(report.droppedLogChars > 0 ? { droppedLogChars: report.droppedLogChars } : {}),
    cpuMs: rounded(report.cpuMs),
    wallMs: rounded(report.wallMs)
  }
  const answer = (status: ToolOutcome['status'], body: Record<string, unknown>): ToolOutcome => ({
    status,
    exitCode: null,
    output: JSON.stringify({ ...body, ...common }),
    artifactPath: null
  })
  switch (end.kind) {
    case 'returned':
      return end.truncated
        ? answer('ok', { status: 'returned', result: null, resultPreview: end.result, resultChars: end.resultChars, error: null })
        : answer('ok', { status: 'returned', result: parsedOrText(end.result), error: null })
    case 'threw':
      return answer('error', { status: 'threw', result: null, error: end.error })
    case 'quota':
      switch (end.quota) {
        case 'cpu':
          return answer('timeout', { status: 'cpu-limit', result: null, error: `the script used more than ${limits.cpuMs} ms of CPU time and was stopped` })
        case 'wall':
          return answer('timeout', { status: 'wall-limit', result: null, error: `the script ran longer than ${limits.wallMs} ms and was stopped` })
        case 'memory':
          return answer('error', { status: 'memory-limit', result: null, error: `the script used more than its ${limits.memoryMb} MiB memory limit and was stopped` })
        default:
          return assertNever(end.quota, 'quota')
      }
    case 'cancelled':
      return answer('interrupted', { status: 'interrupted', result: null, error: 'the script was interrupted' })
    default:
      return assertNever(end, 'script end')
  }
}

export function crashedScriptOutcome(description: string, limits: ScriptLimits, wallMs: number): ToolOutcome {
  return {
    status: 'error',
    exitCode: null,
    output: JSON.stringify({
      status: 'crashed',
      result: null,
      error: `the script runner stopped (${description}) - most likely V8 could not stay within the ${limits.memoryMb} MiB memory limit; it was restarted for the next call`,
      logs: [],
      wallMs: rounded(wallMs)
    }),
    artifactPath: null
  }
}
