// Bearer authentication, as on api.openai.com. Keys are compared, never logged or echoed.
import type { IncomingHttpHeaders } from 'node:http'
import { errors, type ApiError } from '../protocol/errors'

/** Null when the request may proceed; `acceptedKey` null accepts any non-empty key. */
export function checkAuth(headers: IncomingHttpHeaders, acceptedKey: string | null): ApiError | null {
  const header = headers.authorization
  const match = typeof header === 'string' ? /^Bearer\s+(\S.*)$/i.exec(header.trim()) : null
  const key = match?.[1]?.trim()
  if (!key) return errors.missingApiKey()
  if (acceptedKey !== null && key !== acceptedKey) return errors.incorrectApiKey()
  return null
}
