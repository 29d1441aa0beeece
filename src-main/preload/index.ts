import { contextBridge } from 'electron'

contextBridge.exposeInMainWorld('tether', { host: 'electron' })
