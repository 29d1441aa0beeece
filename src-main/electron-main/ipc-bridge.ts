// The API over Electron IPC: one `handle` per allowlisted method, each checking who sent it
// before the host validates the payload. Events go to the window on one fixed channel.
import type { IpcMain, WebContents } from 'electron'
import { IPC_EVENT_CHANNEL, ipcChannelOf } from '../common/api/bridge-wire'
import { METHOD_NAMES } from '../common/api/contract'
import type { ClientConnection } from '../node/host/client-connection'
import type { TetherHost } from '../node/host/tether-host'
import { senderProblem } from './ipc-guard'

export function registerIpc(ipcMain: IpcMain, host: TetherHost): void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(ipcChannelOf(method), async (event, params: unknown) => {
      const problem = senderProblem(event.senderFrame)
      const client = clients.get(event.sender)
      if (problem || !client) return { ok: false, error: { code: 'unauthorized', message: problem ?? 'this window is not connected' } }
      return host.dispatch(client, method, params)
    })
  }
}

const clients = new WeakMap<WebContents, ClientConnection>()

/** Connects a window's contents to the host; a reload starts a fresh connection (its subscriptions are gone). */
export function connectContents(contents: WebContents, host: TetherHost): void {
  const connect = (): void => {
    const previous = clients.get(contents)
    if (previous) host.disconnect(previous)
    clients.set(
      contents,
      host.connect({
        send: (event) => {
          if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, event)
        },
        congested: () => false
      })
    )
  }
  connect()
  contents.on('did-start-loading', connect)
  contents.once('destroyed', () => {
    const client = clients.get(contents)
    if (client) host.disconnect(client)
    clients.delete(contents)
  })
}
