// An HTTP status in place of a stream, as the driver sees it.
import type { TurnEnd } from './transport'

export function retryAfterMs(header: string | string[] | undefined): number | null {
  const value = Array.isArray(header) ? header[0] : header
  if (!value) return null
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now())
}

export function refusalFromBody(status: number, body: string, retryAfter: number | null): Extract<TurnEnd, { kind: 'refused' }> {
  let code: string | null = null
  let message = `HTTP ${status}`
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } }
    if (typeof parsed.error?.code === 'string') code = parsed.error.code
    if (typeof parsed.error?.message === 'string') message = `HTTP ${status}: ${parsed.error.message}`
  } catch {
    if (body.trim().length > 0) message = `HTTP ${status}: ${body.trim().slice(0, 200)}`
  }
  return { kind: 'refused', status, code, message, retryAfterMs: retryAfter }
}
