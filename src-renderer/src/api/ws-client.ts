// Browser mode: the API over the host's loopback WebSocket. The token comes from the page's URL
// fragment (then leaves the address bar). A dropped socket reconnects with backoff; calls made
// meanwhile wait for it, and every listener learns of the new link so open runs resubscribe.
import type { ClientMessage, ServerMessage } from '../../../src-main/common/api/bridge-wire'
import { BRIDGE_PATH, CLOSE_UNAUTHORIZED } from '../../../src-main/common/api/bridge-wire'
import type { HostEvent, MethodName, ParamsOf, ResultOf } from '../../../src-main/common/api/contract'
import { ApiCallError, type LinkState, type TetherClient } from './client'

const TOKEN_KEY = 'tether.token'
const MAX_BACKOFF_MS = 5000

/** Reads the token from `#token=…`, keeps it for reloads of this tab, and clears it from the URL. */
export function takeToken(location: Location, storage: Storage, history: History): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash)
  if (match?.[1]) {
    storage.setItem(TOKEN_KEY, match[1])
    history.replaceState(null, '', `${location.pathname}${location.search}`)
    return match[1]
  }
  return storage.getItem(TOKEN_KEY)
}

interface Pending {
  resolve: (value: unknown) => void
  reject: (error: Error) => void
}

export function wsClient(url: string, token: string): TetherClient {
  let socket: WebSocket | null = null
  let ready: Promise<WebSocket> | null = null
  let nextId = 1
  let attempt = 0
  let link: LinkState = { kind: 'connecting' }
  const pending = new Map<number, Pending>()
  const eventListeners = new Set<(event: HostEvent) => void>()
  const linkListeners = new Set<(state: LinkState) => void>()

  const setLink = (state: LinkState): void => {
    link = state
    for (const listener of linkListeners) listener(state)
  }

  const failPending = (message: string): void => {
    for (const entry of pending.values()) entry.reject(new ApiCallError({ code: 'unavailable', message }))
    pending.clear()
  }

  const connect = (): Promise<WebSocket> => {
    if (ready) return ready
    ready = new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url)
      let welcomed = false
      ws.onopen = () => ws.send(JSON.stringify({ kind: 'hello', token } satisfies ClientMessage))
      ws.onmessage = (message) => {
        const data = JSON.parse(String(message.data)) as ServerMessage
        switch (data.kind) {
          case 'welcome':
            welcomed = true
            attempt = 0
            socket = ws
            resolve(ws)
            setLink({ kind: 'connected' })
            return
          case 'response': {
            const entry = pending.get(data.id)
            if (!entry) return
            pending.delete(data.id)
            if (data.ok) entry.resolve(data.result)
            else entry.reject(new ApiCallError(data.error))
            return
          }
          case 'event':
            for (const listener of eventListeners) listener(data.event)
            return
        }
      }
      ws.onclose = (event) => {
        socket = null
        ready = null
        failPending('the connection to Tether was lost; try again')
        if (event.code === CLOSE_UNAUTHORIZED) {
          const message = 'This page’s token is not valid for the running Tether. Open the address `tether web` printed.'
          setLink({ kind: 'unauthorized', message })
          if (!welcomed) reject(new ApiCallError({ code: 'unauthorized', message }))
          return
        }
        if (!welcomed) reject(new ApiCallError({ code: 'unavailable', message: 'cannot reach Tether' }))
        attempt += 1
        setLink({ kind: 'reconnecting', attempt })
        const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(attempt - 1, 5)) * (0.5 + Math.random() / 2)
        setTimeout(() => void connect().catch(() => undefined), delay)
      }
    })
    return ready
  }

  const client: TetherClient = {
    async call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
      const ws = socket ?? (await connect())
      const id = nextId++
      return new Promise<ResultOf<M>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
        ws.send(JSON.stringify({ kind: 'request', id, method, params } satisfies ClientMessage))
      })
    },
    onEvent(listener) {
      eventListeners.add(listener)
      return () => eventListeners.delete(listener)
    },
    onLink(listener) {
      linkListeners.add(listener)
      listener(link)
      return () => linkListeners.delete(listener)
    },
    async openLink(url) {
      window.open(url, '_blank', 'noopener,noreferrer')
    }
  }
  void connect().catch(() => undefined)
  return client
}

export function bridgeUrl(location: Location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${BRIDGE_PATH}`
}
