// The whole of `window.tether`: one named function per API method, each bound to its own fixed
// channel, and one event listener whose callback never sees Electron's event object. Nothing
// generic (no send, no on(channel)) crosses the bridge.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { IPC_EVENT_CHANNEL, ipcChannelOf, type TetherBridge } from '../common/api/bridge-wire'
import type { HostEvent } from '../common/api/contract'
import { METHOD_NAMES } from '../common/api/contract'

const methods = Object.fromEntries(METHOD_NAMES.map((method) => [method, (params: unknown) => ipcRenderer.invoke(ipcChannelOf(method), params)]))

const bridge = {
  ...methods,
  onEvent(listener: (event: HostEvent) => void): () => void {
    const forward = (_event: IpcRendererEvent, payload: HostEvent): void => listener(payload)
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward)
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward)
    }
  }
} as TetherBridge

contextBridge.exposeInMainWorld('tether', bridge)
