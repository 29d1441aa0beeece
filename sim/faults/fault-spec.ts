// Fault specs, as given to `--fault` or in a scenario's "faults" list. Several combine.
//
//   drop-once:N      the first connection (HTTP: request stream) to reach N sent events is cut (TCP drop, 1006)
//   drop-every:N     every connection is cut after N sent events
//   close:CODE@N     the first connection to reach N events is closed with CODE (HTTP: stream ends without a terminal event)
//   error@N          once, event N becomes an `error` event and its response ends there
//   failed@N         once, event N becomes `response.failed` (server_error)
//   stall:MS@N       once, the stream pauses MS milliseconds before event N
//   sparse           omit output_item.added / content_part.added and the terminal `response.output`
//   evict            every previous_response_id misses (previous_response_not_found)
//   no-websocket     every WebSocket upgrade is refused with 426 Upgrade Required
//   upgrade-429:S    the first WebSocket upgrade is refused with 429 and Retry-After: S
//   rate-limit@R     the R-th create request (0-based, both transports) is refused with 429 and
//                    OpenAI's rate-limit headers (retry after 1 s; over WS as `error.headers`)
//   rate-limit:S@R   the same, asking for a retry after S seconds
//   quota@R          the R-th create request is refused with 429 `insufficient_quota`
//   no-pong          WebSocket pings are not answered
import { assertNever } from '../../src-main/common/run/records'

export type FaultSpec =
  | { kind: 'drop'; every: boolean; at: number }
  | { kind: 'close'; code: number; at: number }
  | { kind: 'error'; at: number }
  | { kind: 'failed'; at: number }
  | { kind: 'stall'; ms: number; at: number }
  | { kind: 'sparse' }
  | { kind: 'evict' }
  | { kind: 'no-websocket' }
  | { kind: 'upgrade-429'; retryAfterSeconds: number }
  | { kind: 'rate-limit'; request: number; retryAfterSeconds: number }
  | { kind: 'quota'; request: number }
  | { kind: 'no-pong' }

export type FaultParse = { ok: true; fault: FaultSpec } | { ok: false; message: string }

export const FAULT_SYNTAX = [
  'drop-once:N',
  'drop-every:N',
  'close:CODE@N',
  'error@N',
  'failed@N',
  'stall:MS@N',
  'sparse',
  'evict',
  'no-websocket',
  'upgrade-429:SECONDS',
  'rate-limit@R',
  'quota@R',
  'no-pong'
] as const

const COUNT = '(0|[1-9][0-9]*)'
const PATTERNS: Array<[RegExp, (match: RegExpMatchArray) => FaultSpec | string]> = [
  [new RegExp(`^drop-(once|every):${COUNT}$`), (m) => ({ kind: 'drop', every: m[1] === 'every', at: Number(m[2]) })],
  [
    new RegExp(`^close:${COUNT}@${COUNT}$`),
    (m) => {
      const code = Number(m[1])
      return isSendableCloseCode(code) ? { kind: 'close', code, at: Number(m[2]) } : `close code ${code} cannot be sent (use 1000-1003, 1007-1014 or 3000-4999; drop-once gives 1006)`
    }
  ],
  [new RegExp(`^error@${COUNT}$`), (m) => ({ kind: 'error', at: Number(m[1]) })],
  [new RegExp(`^failed@${COUNT}$`), (m) => ({ kind: 'failed', at: Number(m[1]) })],
  [new RegExp(`^stall:${COUNT}@${COUNT}$`), (m) => ({ kind: 'stall', ms: Number(m[1]), at: Number(m[2]) })],
  [/^sparse$/, () => ({ kind: 'sparse' })],
  [/^evict$/, () => ({ kind: 'evict' })],
  [/^no-websocket$/, () => ({ kind: 'no-websocket' })],
  [new RegExp(`^upgrade-429:${COUNT}$`), (m) => ({ kind: 'upgrade-429', retryAfterSeconds: Number(m[1]) })],
  [new RegExp(`^rate-limit(?::${COUNT})?@${COUNT}$`), (m) => ({ kind: 'rate-limit', request: Number(m[2]), retryAfterSeconds: m[1] === undefined ? 1 : Number(m[1]) })],
  [new RegExp(`^quota@${COUNT}$`), (m) => ({ kind: 'quota', request: Number(m[1]) })],
  [/^no-pong$/, () => ({ kind: 'no-pong' })]
]

/** The close codes `ws` lets a peer send (RFC 6455 §7.4; 1004-1006 and 1015 are reserved). */
export function isSendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999)
}

export function parseFault(text: string): FaultParse {
  const spec = text.trim()
  for (const [pattern, build] of PATTERNS) {
    const match = spec.match(pattern)
    if (!match) continue
    const result = build(match)
    return typeof result === 'string' ? { ok: false, message: `fault '${spec}': ${result}` } : { ok: true, fault: result }
  }
  return { ok: false, message: `unknown fault '${spec}'; expected one of: ${FAULT_SYNTAX.join(', ')}` }
}

/** Parses every spec or throws one error naming all bad ones. */
export function parseFaults(texts: readonly string[]): FaultSpec[] {
  const faults: FaultSpec[] = []
  const problems: string[] = []
  for (const text of texts) {
    const parsed = parseFault(text)
    if (parsed.ok) faults.push(parsed.fault)
    else problems.push(parsed.message)
  }
  if (problems.length > 0) throw new Error(problems.join('; '))
  return faults
}

export function formatFault(fault: FaultSpec): string {
  switch (fault.kind) {
    case 'drop':
      return `drop-${fault.every ? 'every' : 'once'}:${fault.at}`
    case 'close':
      return `close:${fault.code}@${fault.at}`
    case 'error':
    case 'failed':
      return `${fault.kind}@${fault.at}`
    case 'stall':
      return `stall:${fault.ms}@${fault.at}`
    case 'sparse':
    case 'evict':
    case 'no-websocket':
    case 'no-pong':
      return fault.kind
    case 'upgrade-429':
      return `upgrade-429:${fault.retryAfterSeconds}`
    case 'rate-limit':
      return fault.retryAfterSeconds === 1 ? `rate-limit@${fault.request}` : `rate-limit:${fault.retryAfterSeconds}@${fault.request}`
    case 'quota':
      return `quota@${fault.request}`
    default:
      return assertNever(fault, 'fault')
  }
}
