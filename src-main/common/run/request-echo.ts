// A response object repeats what the request sent: every tool definition and the instructions,
// in each lifecycle event of every turn (`response.created`, `in_progress`, `completed`, ...).
// Kept verbatim, that echo was about half of a long run's log. The run log already has both in
// `run.started`, and nothing folds them, so `server.event` records keep everything else of the
// event as it arrived and leave these two fields out.
import type { ServerEvent } from '../protocol/wire'

/** Response fields that echo the request; the log has them in `run.started`. */
export const REQUEST_ECHO_FIELDS = ['tools', 'instructions'] as const

/** The event as the log keeps it: without the response's echo of the request. */
export function withoutRequestEcho(event: ServerEvent): ServerEvent {
  if (!('response' in event)) return event
  const response = event.response as unknown
  if (typeof response !== 'object' || response === null) return event
  if (!REQUEST_ECHO_FIELDS.some((field) => field in response)) return event
  const kept: Record<string, unknown> = { ...response }
  for (const field of REQUEST_ECHO_FIELDS) delete kept[field]
  return { ...event, response: kept } as unknown as ServerEvent
}
