import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../node/host/csp'
import { cspProblems, formatFinding, scanElectronApp, type ScanFile } from './scan'

const ROOT = join(import.meta.dirname, '..', '..', '..')

function read(path: string): ScanFile {
  return { file: path, source: readFileSync(join(ROOT, path), 'utf8') }
}

function highFindings(code: ScanFile[], html: ScanFile[], policy: string | null): string[] {
  return scanElectronApp(code, html, policy)
    .filter((finding) => finding.severity === 'high')
    .map(formatFinding)
}

describe('the Electron security scan', () => {
  it('reports the classic mistakes, each with its rule and line', () => {
    const main = [
      "import { app, BrowserWindow, shell } from 'electron'",
      'const window = new BrowserWindow({ webPreferences: { preload, nodeIntegration: true, contextIsolation: false, webSecurity: false, enableBlinkFeatures: "X" } })',
      "window.loadFile('index.html')",
      "app.on('certificate-error', (event, wc, url, error, cert, callback) => callback(true))",
      "app.commandLine.appendSwitch('ignore-certificate-errors')",
      'shell.openExternal(url)',
      'const safe = (url) => externalLink(url) && shell.openExternal(url)',
      'host.openExternal(url)'
    ].join('\n')
    const preload = "import { contextBridge, ipcRenderer } from 'electron'\ncontextBridge.exposeInMainWorld('api', { ipcRenderer, send: (c, d) => ipcRenderer.send(c, d) })"
    const html = '<meta http-equiv="Content-Security-Policy" content="default-src *; script-src \'self\' \'unsafe-eval\'" />'
    expect(highFindings([{ file: 'main.ts', source: main }, { file: 'preload.ts', source: preload }], [{ file: 'index.html', source: html }], null)).toEqual([
      'high NODEINTEGRATION main.ts:2: nodeIntegration must be false',
      'high CONTEXTISOLATION main.ts:2: contextIsolation must be true',
      'high WEBSECURITY main.ts:2: webSecurity must be true',
      'high BLINK_FEATURES main.ts:2: enableBlinkFeatures turns on unreviewed features',
      'high SANDBOX main.ts:2: webPreferences must set sandbox: true explicitly',
      'high FILE_PROTOCOL main.ts:3: pages must load from app://, not file://',
      'high CERTIFICATE_ERROR_EVENT main.ts:4: a certificate-error handler can accept bad certificates',
      'high CUSTOM_ARGUMENTS main.ts:5: dangerous switch ignore-certificate-errors',
      'high OPEN_EXTERNAL main.ts:6: openExternal with a URL not checked by externalLink()',
      'high EXPOSED_IPC_RENDERER preload.ts:2: ipcRenderer is put on an object',
      'high GENERIC_IPC preload.ts:2: ipcRenderer used with a channel that is not from the allowlist',
      "high CSP index.html:1: script-src allows 'unsafe-eval'",
      'high CSP index.html:1: no object-src restriction',
      'high SANDBOX_GLOBAL main.ts:0: app.enableSandbox() is never called',
      'high PERMISSION_REQUEST_HANDLER main.ts:0: no permission request handler: Electron grants every permission by default',
      "high LIMIT_NAVIGATION main.ts:0: no 'will-navigate' handler",
      'high LIMIT_NAVIGATION main.ts:0: no setWindowOpenHandler',
      "high WEBVIEW_ATTACH main.ts:0: no 'will-attach-webview' handler",
      'high CUSTOM_PROTOCOL main.ts:0: pages are not served from a custom protocol',
      'high CSP main.ts:0: responses carry no Content-Security-Policy header'
    ])
  })

  it('reads minified booleans and judges a CSP', () => {
    expect(highFindings([{ file: 'a.js', source: 'x({webPreferences:{preload:p,contextIsolation:!0,sandbox:!1}})' }], [], CONTENT_SECURITY_POLICY)).toContain(
      'high SANDBOX a.js:1: sandbox must be true'
    )
    expect(cspProblems(CONTENT_SECURITY_POLICY)).toEqual([])
    expect(cspProblems("default-src 'self'")).toEqual(['no object-src restriction'])
    expect(cspProblems("script-src 'self' 'unsafe-inline' https://cdn.example")).toEqual([
      "script-src allows 'unsafe-inline'",
      'script-src allows remote or data: scripts',
      'no object-src restriction'
    ])
  })

  it('finds nothing high in our Electron sources', () => {
    const sources = ['src-main/electron-main', 'src-main/preload'].flatMap((folder) =>
      readdirSync(join(ROOT, folder))
        .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
        .map((name) => read(`${folder}/${name}`))
    )
    expect(sources.map((file) => file.file)).toContain('src-main/electron-main/index.ts')
    expect(highFindings(sources, [read('src-renderer/index.html')], CONTENT_SECURITY_POLICY)).toEqual([])
  })

  it('finds nothing high in the built app (run `npm run build` first)', () => {
    const built = ['out/main/electron.js', 'out/preload/index.cjs', 'out/renderer/index.html']
    const missing = built.filter((path) => !existsSync(join(ROOT, path)))
    expect(missing, 'the app is not built: run `npm run build`').toEqual([])
    const chunks = readdirSync(join(ROOT, 'out/main/chunks')).map((name) => read(`out/main/chunks/${name}`))
    const code = [read('out/main/electron.js'), read('out/preload/index.cjs'), ...chunks]
    expect(highFindings(code, [read('out/renderer/index.html')], CONTENT_SECURITY_POLICY)).toEqual([])
  })
})
