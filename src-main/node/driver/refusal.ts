// An HTTP status in place of a stream, as the driver sees it. Bodies come in OpenAI's shape
// (`{ "error": { "type", "code", "message" } }`) or xAI's (`{ "code": "…", "error": "…" }`, see
// PROVIDERS.xai.errorBody); both are read whichever provider answered, since proxies mix them.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import { retryHeadersOf } from '../../common/providers/retry-hints'
import type { TurnEnd } from './transport'

type Refused = Extract<TurnEnd, { kind: 'refused' }>

interface BodyFacts {
  code: string | null
  type: string | null
  message: string | null
}

/** The start of a body no message could be read from, or null when it is blank. */
function excerptOf(body: string): string | null {
  const trimmed = body.trim()
  return trimmed.length > 0 ? trimmed.slice(0, 200) : null
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null
}

/** `"name": "text"` in a JSON text, the string literal captured whole. */
const memberPattern = (name: string): RegExp => new RegExp(`"${name}"\\s*:\\s*("(?:[^"\\\\]|\\\\.)*")`)
const MEMBERS = { code: memberPattern('code'), type: memberPattern('type'), message: memberPattern('message') }

/** The first such member of a JSON text that does not parse, unescaped; null when there is none. */
function memberOfBrokenJson(body: string, name: keyof typeof MEMBERS): string | null {
  const match = MEMBERS[name].exec(body)
  if (!match?.[1]) return null
  try {
    return text(JSON.parse(match[1]))
  } catch {
    return null
  }
}

/**
 * A JSON body cut short (read to its limit, or ended by the peer) still names its code where it
 * got that far, and the code decides whether the run retries (`insufficient_quota` must not).
 */
function factsOfBrokenJson(body: string): BodyFacts | null {
  if (!body.trimStart().startsWith('{')) return null
  return { code: memberOfBrokenJson(body, 'code'), type: memberOfBrokenJson(body, 'type'), message: memberOfBrokenJson(body, 'message') ?? excerptOf(body) }
}

function bodyFacts(body: string): BodyFacts | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return factsOfBrokenJson(body)
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
  const detail = facts === null ? excerptOf(body) : facts.message
  return {
    kind: 'refused',
    status,
    code: facts?.code ?? null,
    type: facts?.type ?? null,
    message: detail === null ? `HTTP ${status}` : `HTTP ${status}: ${detail}`,
    headers: retryHeadersOf(headers)
  }
}

/** Error bodies are a few hundred bytes; one cut at this size still gives the code it reached. */
const REFUSAL_BODY_MAX_BYTES = 64 * 1024

/**
 * The body of a refusal, read until it ends, reaches REFUSAL_BODY_MAX_BYTES or `deadlineMs` passes,
 * whichever comes first: a server that trickles or never ends its error body cannot hold the request
 * or fill memory. A body cut short is read no further.
 */
export function readRefusalBody(response: IncomingMessage, deadlineMs: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let bytes = 0
    const settle = (cutShort: boolean): void => {
      clearTimeout(deadline)
      response.off('data', onData)
      response.off('end', onEnd)
      response.off('close', onEnd)
      if (cutShort) response.destroy()
      resolve(Buffer.concat(chunks).subarray(0, REFUSAL_BODY_MAX_BYTES).toString('utf8'))
    }
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk)
      bytes += chunk.length
      if (bytes >= REFUSAL_BODY_MAX_BYTES) settle(true)
    }
    const onEnd = (): void => settle(false)
    const deadline = setTimeout(() => settle(true), deadlineMs)
    response.on('data', onData)
    response.once('end', onEnd)
    // A body cut by the peer ends in `close` (and `error`) without `end`.
    response.once('close', onEnd)
    response.on('error', () => undefined)
  })
}
