import type { ChannelTypes } from '../../node/tools/channel/channel-protocol'

export interface EchoChannel extends ChannelTypes {
  request: { kind: 'echo'; text: string; progress: number } | { kind: 'fail'; reason: string } | { kind: 'wait-for-cancel' } | { kind: 'die'; code: number }
  reply: { text: string }
  progress: string
}
