// One browser tab's WebSocket: the first message must carry this launch's token; after that each
// message is an API request answered in order, and host events are pushed.
import { timingSafeEqual } from 'node:crypto'
import type { WebSocket } from 'ws'
import type { ClientMessage, ServerMessage } from '../../../common/api/bridge-wire'
import { CLOSE_UNAUTHORIZED } from '../../../common/api/bridge-wire'
import type { ClientConnection } from '../client-connection'
import type { TetherHost } from '../tether-host'

const HELLO_TIMEOUT_MS = 5000
/** Above this many unsent bytes, record batches wait and grow instead of piling up. */
const CONGESTED_BYTES = 1024 * 1024

function tokensMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

function parseMessage(data: string): ClientMessage | null {
  let value: unknown
  try {
    value = JSON.parse(data)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const message = value as Record<string, unknown>
  if (message.kind === 'hello' && typeof message.token === 'string') return { kind: 'hello', token: message.token }
  if (message.kind === 'request' && Number.isSafeInteger(message.id) && typeof message.method === 'string') {
    return { kind: 'request', id: message.id as number, method: message.method as never, params: message.params ?? null }
  }
  return null
}

export function serveBridgeConnection(socket: WebSocket, host: TetherHost, token: string): void {
  let client: ClientConnection | null = null
  const send = (message: ServerMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message))
  }
  const helloTimer = setTimeout(() => socket.close(CLOSE_UNAUTHORIZED, 'no token'), HELLO_TIMEOUT_MS)

  socket.on('message', (data, isBinary) => {
    const message = isBinary ? null : parseMessage(data.toString())
    if (client === null) {
      if (message?.kind !== 'hello' || !tokensMatch(message.token, token)) {
        clearTimeout(helloTimer)
        socket.close(CLOSE_UNAUTHORIZED, 'wrong or missing token')
        return
      }
      clearTimeout(helloTimer)
      client = host.connect({
        send: (event) => send({ kind: 'event', event }),
        congested: () => socket.bufferedAmount > CONGESTED_BYTES
      })
      send({ kind: 'welcome' })
      return
    }
    if (message?.kind !== 'request') {
      send({ kind: 'response', id: -1, ok: false, error: { code: 'invalid_request', message: 'not a request message' } })
      return
    }
    const current = client
    void host.dispatch(current, message.method, message.params).then((reply) => send({ kind: 'response', id: message.id, ...reply }))
  })

  socket.on('close', () => {
    clearTimeout(helloTimer)
    if (client) host.disconnect(client)
    client = null
  })
  socket.on('error', () => socket.terminate())
}
