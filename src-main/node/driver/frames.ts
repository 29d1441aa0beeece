import { parseServerFrame } from '../../common/protocol/parse-server-frame'
import type { InboundFrame } from './transport'

export function frameOf(text: string): InboundFrame {
  const parsed = parseServerFrame(text)
  return parsed.ok ? { kind: 'event', event: parsed.event } : { kind: 'malformed', error: parsed.error }
}
