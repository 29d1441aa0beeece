// Picks the host: the preload's bridge when it exists (Electron), else the browser-mode socket.
import type { TetherBridge } from '../../../src-main/common/api/bridge-wire'
import type { TetherClient } from './client'
import { ipcClient } from './ipc-client'
import { bridgeUrl, takeToken, wsClient } from './ws-client'

declare global {
  interface Window {
    tether?: TetherBridge
  }
}

export type Connection = { ok: true; client: TetherClient } | { ok: false; reason: string }

export function connectToHost(): Connection {
  if (window.tether) return { ok: true, client: ipcClient(window.tether) }
  const token = takeToken(window.location, window.sessionStorage, window.history)
  if (!token) return { ok: false, reason: 'Open Tether with the address `tether web` printed; it carries this launch’s token.' }
  return { ok: true, client: wsClient(bridgeUrl(window.location), token) }
}
