// An HTTP status in place of a stream, as the driver sees it. Bodies come in OpenAI's shape
// (`{ "error": { "type", "code", "message" } }`) or xAI's (`{ "code": "…", "error": "…" }`, see
// PROVIDERS.xai.errorBody); both are read whichever provider answered, since proxies mix them.
import type { IncomingHttpHeaders } from 'node:http'
import { retryHeadersOf } from '../../common/providers/retry-hints'
import type { TurnEnd } from './transport'

type Refused = Extract<TurnEnd, { kind: 'refused' }>

interface BodyFacts {
  code: string | null
  type: string | null
  message: string | null
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null
}

function bodyFacts(body: string): BodyFacts | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return null
  }
  if (typeof parsed !== 'object' || parsed === null) return null
  const { error, code } = parsed as { error?: unknown; code?: unknown }
  if (typeof error === 'string') return { code: text(code), type: null, message: error }
  if (typeof error === 'object' && error !== null) {
    const nested = error as { code?: unknown; type?: unknown; message?: unknown }
    return { code: text(nested.code), type: text(nested.type), message: text(nested.message) }
  }
  return null
}

export function refusalFromBody(status: number, body: string, headers: IncomingHttpHeaders = {}): Refused {
  const facts = bodyFacts(body)
  const trimmed = body.trim()
  const detail = facts?.message ?? (facts === null && trimmed.length > 0 ? trimmed.slice(0, 200) : null)
  return {
    kind: 'refused',
    status,
    code: facts?.code ?? null,
    type: facts?.type ?? null,
    message: detail === null ? `HTTP ${status}` : `HTTP ${status}: ${detail}`,
    headers: retryHeadersOf(headers)
  }
}
