/// <reference lib="dom" />
// The hardened Electron shell, checked at run time in the real app. Runs wherever the Electron
// binary exists; elsewhere each test is skipped with the reason.
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test'
import { METHOD_NAMES } from '../src-main/common/api/contract'
import { makeDataDir, ROOT } from './support/browser-host'
import { electronBinary } from './support/electron-binary'

const binary = electronBinary()

test.describe('Electron shell', () => {
  test.skip('missing' in binary, 'missing' in binary ? binary.missing : '')
  let app: ElectronApplication
  let page: Page
  let data: Awaited<ReturnType<typeof makeDataDir>>

  test.beforeAll(async () => {
    data = await makeDataDir()
    app = await electron.launch({
      executablePath: 'path' in binary ? binary.path : undefined,
      args: [ROOT],
      env: { ...process.env, TETHER_HOME: data.path }
    })
    page = await app.firstWindow()
    await page.waitForLoadState('domcontentloaded')
  })

  test.afterAll(async () => {
    await app?.close()
    await data?.dispose()
  })

  test('the window is sandboxed, isolated and without Node', async () => {
    // getLastWebPreferences is not in the typings of every Electron version; where it exists it is the strongest check.
    const preferences = await app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().map((window) => (window.webContents as unknown as { getLastWebPreferences?: () => object | null }).getLastWebPreferences?.() ?? null)
    )
    expect(preferences).toHaveLength(1)
    if (preferences[0] !== null) expect(preferences[0]).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false
    })
    expect(page.url()).toBe('app://tether/index.html')
    expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined'])
    const bridge = await page.evaluate(() => Object.keys((window as unknown as { tether: object }).tether).sort())
    expect(bridge).toEqual([...METHOD_NAMES, 'onEvent'].sort())
  })

  test('the CSP blocks eval and inline script', async () => {
    expect(await page.evaluate(() => {
      try {
        return eval('1 + 1')
      } catch {
        return 'blocked'
      }
    })).toBe('blocked')
    const ran = await page.evaluate(() => {
      const script = document.createElement('script')
      script.textContent = 'window.__inline = true'
      document.body.append(script)
      return (window as unknown as { __inline?: boolean }).__inline === true
    })
    expect(ran).toBe(false)
  })

  test('navigation, new windows and permissions are refused', async () => {
    for (const target of ['https://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)']) {
      await page.evaluate((url) => {
        window.location.href = url
      }, target)
      await page.waitForTimeout(300)
      expect(page.url()).toBe('app://tether/index.html')
    }
    expect(await page.evaluate(() => window.open('app://tether/index.html') === null)).toBe(true)
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)
    expect(await page.evaluate(() => navigator.permissions.query({ name: 'notifications' as PermissionName }).then((status) => status.state))).toBe('denied')
  })

  test('an iframe cannot call the API', async () => {
    const refused = await page.evaluate(async () => {
      const frame = document.createElement('iframe')
      frame.src = 'app://tether/index.html'
      document.body.append(frame)
      // The CSP (frame-src falls back to default-src 'none') may block the frame outright.
      await Promise.race([new Promise((resolve) => frame.addEventListener('load', resolve, { once: true })), new Promise((resolve) => setTimeout(resolve, 2000))])
      return typeof (frame.contentWindow as unknown as { tether?: unknown } | null)?.tether
    })
    expect(refused).toBe('undefined')
  })
})
