import type { ApiError, ApiErrorCode } from '../../common/api/contract'

/** An expected failure of an API call; its message is shown to the person as it is. */
export class HostError extends Error {
  readonly code: ApiErrorCode
  constructor(code: ApiErrorCode, message: string) {
    super(message)
    this.code = code
  }
}

/** Any thrown value as an API error. Unexpected errors keep their message only: no stack crosses. */
export function apiErrorOf(error: unknown): ApiError {
  if (error instanceof HostError) return { code: error.code, message: error.message }
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'internal', message: message || 'unexpected error' }
}
