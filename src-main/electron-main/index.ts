// The Electron main process: one instance, one hardened window on the app:// origin, the shared
// host behind a validated IPC bridge. Everything that is not Electron lives in src-main/node.
import { join } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell } from 'electron'
import { findAppPaths } from '../node/host/app-paths'
import { composeHost } from '../node/host/compose'
import type { TetherHost } from '../node/host/tether-host'
import { APP_ENTRY, APP_SCHEME, handleAppRequest } from './app-protocol'
import { denyPermissions, hardenContents } from './harden-contents'
import { connectContents, registerIpc } from './ipc-bridge'
import { externalLink } from './navigation'
import { showNotification } from './notifications'
import { SafeStorageKeyStore } from './safe-storage-keys'
import { hardenedWebPreferences } from './web-preferences'

const paths = findAppPaths()
let mainWindow: BrowserWindow | null = null
let host: TetherHost | null = null

function openExternal(url: string): void {
  const safe = externalLink(url)
  if (safe) void shell.openExternal(safe)
}

function createWindow(tether: TetherHost): BrowserWindow {
  const window = new BrowserWindow({
    width: 1320,
    height: 880,
    minWidth: 880,
    minHeight: 560,
    show: false,
    title: 'Tether',
    icon: join(paths.resources, 'icon.png'),
    backgroundColor: '#111315',
    webPreferences: hardenedWebPreferences(join(import.meta.dirname, '../preload/index.cjs'))
  })
  connectContents(window.webContents, tether)
  window.once('ready-to-show', () => window.show())
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null
  })
  void window.loadURL(APP_ENTRY)
  return window
}

async function start(): Promise<void> {
  protocol.handle(APP_SCHEME, (request) => handleAppRequest(paths.renderer, request))
  denyPermissions(session.defaultSession)
  host = await composeHost({
    kind: 'electron',
    keys: (dataDir) => new SafeStorageKeyStore(dataDir.root),
    pickFolder: async () => {
      const options = { title: 'Open a repository', properties: ['openDirectory' as const] }
      const picked = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options)
      return picked.canceled ? null : (picked.filePaths[0] ?? null)
    },
    openExternal: async (url) => openExternal(url),
    notify: (note, onClick) => showNotification(() => mainWindow, note, onClick)
  })
  registerIpc(ipcMain, host)
  mainWindow = createWindow(host)
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.enableSandbox()
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }])
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, openExternal))
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore()
    mainWindow?.focus()
  })
  app.on('window-all-closed', () => app.quit())
  app.on('activate', () => {
    if (host && BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow(host)
  })
  let closing = false
  app.on('before-quit', (event) => {
    if (closing || !host) return
    closing = true
    event.preventDefault()
    void host.close().finally(() => app.quit())
  })
  app.whenReady().then(start, (error: unknown) => {
    dialog.showErrorBox('Tether could not start', (error as Error)?.message ?? String(error))
    app.quit()
  })
}
