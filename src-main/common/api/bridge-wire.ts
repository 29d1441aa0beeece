// How the contract travels. Electron: one invoke channel per method plus one event channel.
// Browser mode: JSON messages over one loopback WebSocket, the first of which proves the token.
import type { ApiReply, HostEvent, MethodName, ParamsOf, ResultOf } from './contract'

export const IPC_CHANNEL_PREFIX = 'tether:'
export const IPC_EVENT_CHANNEL = 'tether:event'

export function ipcChannelOf(method: MethodName): string {
  return `${IPC_CHANNEL_PREFIX}${method}`
}

/** The path of the browser-mode WebSocket. */
export const BRIDGE_PATH = '/bridge'

export type ClientMessage =
  | { kind: 'hello'; token: string }
  | { kind: 'request'; id: number; method: MethodName; params: unknown }

export type ServerMessage =
  | { kind: 'welcome' }
  | ({ kind: 'response'; id: number } & ApiReply<unknown>)
  | { kind: 'event'; event: HostEvent }

/** Close codes of the browser-mode socket that the client must not retry with the same token. */
export const CLOSE_UNAUTHORIZED = 4401

/** `window.tether` in Electron: one named function per method (no generic send), and the event stream. */
export type TetherBridge = { [M in MethodName]: (params: ParamsOf<M>) => Promise<ApiReply<ResultOf<M>>> } & {
  onEvent(listener: (event: HostEvent) => void): () => void
}
