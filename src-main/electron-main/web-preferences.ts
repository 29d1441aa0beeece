// The renderer's web preferences, in one place so a test can read them: the renderer is untrusted
// display code (it shows model output), so it gets no Node, an isolated preload and the OS sandbox.
import type { WebPreferences } from 'electron'

export function hardenedWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false
  }
}
