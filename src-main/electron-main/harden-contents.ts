// Every web contents the app creates: no navigation away, no new windows, no webviews, no
// permissions. An https link opens in the person's browser; nothing else leaves the app.
import type { Session, WebContents } from 'electron'
import { externalLink, navigationVerdict } from './navigation'

export function hardenContents(contents: WebContents, openExternal: (url: string) => void): void {
  const guard = (event: { preventDefault: () => void }, url: string): void => {
    const verdict = navigationVerdict(url)
    if (verdict.kind === 'allow') return
    event.preventDefault()
    if (verdict.kind === 'open-externally') openExternal(verdict.url)
  }
  contents.on('will-navigate', (event) => guard(event, event.url))
  contents.on('will-redirect', (event) => guard(event, event.url))
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) event.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalLink(url)
    if (external) openExternal(external)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** Denies every permission request and check (camera, microphone, notifications, ...). */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
  session.setDisplayMediaRequestHandler((_request, callback) => callback({}))
}
