// The child's side of the channel: each request goes to the handler with a way to report progress
// and a signal that a cancel aborts; its answer (or failure) goes back under the request's number.
import { assertNever } from '../../../common/run/records'
import type { ChannelTypes, FromChild, ToChild } from './channel-protocol'

export interface RequestContext<T extends ChannelTypes> {
  /** `sent` runs once the message is written to the channel (or the parent is gone): a way to hold back while the parent lags. */
  progress(body: T['progress'], sent?: () => void): void
  signal: AbortSignal
}

export type RequestHandler<T extends ChannelTypes> = (request: T['request'], context: RequestContext<T>) => Promise<T['reply']>

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Serves the parent until it disconnects; `onDisconnect` runs then (default: exit). Says `ready` at once. */
export function serveChannel<T extends ChannelTypes>(handle: RequestHandler<T>, onDisconnect: () => void = () => process.exit(0)): void {
  const inFlight = new Map<number, AbortController>()
  const send = (message: FromChild<T>, sent?: () => void): void => {
    if (process.connected && process.send) process.send(message, undefined, undefined, () => sent?.())
    else sent?.()
  }
  const serve = async (id: number, body: T['request']): Promise<void> => {
    const controller = new AbortController()
    inFlight.set(id, controller)
    try {
      const reply = await handle(body, { progress: (progress, sent) => send({ kind: 'progress', id, body: progress }, sent), signal: controller.signal })
      send({ kind: 'reply', id, body: reply })
    } catch (error) {
      send({ kind: 'failed', id, message: messageOf(error) })
    } finally {
      inFlight.delete(id)
    }
  }
  process.on('message', (message: ToChild<T>) => {
    switch (message.kind) {
      case 'request':
        void serve(message.id, message.body)
        return
      case 'cancel':
        inFlight.get(message.id)?.abort()
        return
      default:
        assertNever(message, 'channel message')
    }
  })
  process.on('disconnect', () => {
    for (const controller of inFlight.values()) controller.abort()
    onDisconnect()
  })
  send({ kind: 'ready', pid: process.pid })
}
