// A server event before the stream stamps it: `sequence_number` and `stream_id` are added when
// the event is sent, because they depend on the response's counter and lane, not on the content.
import type { ServerEvent } from '../../src-main/common/protocol/wire'
import type { WireResponse } from './response-object'

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

export type EventBody = DistributiveOmit<ServerEvent, 'sequence_number' | 'stream_id'>

/** Lifecycle events carry the wire Response (which has no SDK-computed `output_text`). */
export interface LifecycleBody {
  type: 'response.created' | 'response.in_progress' | 'response.completed' | 'response.incomplete' | 'response.failed'
  response: WireResponse
}
