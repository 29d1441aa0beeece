// The renderer's origin in Electron: app://tether, served from the built renderer folder with
// the same CSP and headers as browser mode. No file:// page ever loads, so an XSS in the
// renderer cannot read local files.
import { securityHeaders } from '../node/host/csp'
import { resolveStaticFile } from '../node/host/static-files'

export const APP_SCHEME = 'app'
export const APP_HOST = 'tether'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY = `${APP_ORIGIN}/index.html`

/** True for URLs of the app's own origin, by a real parse (never a prefix test). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST
  } catch {
    return false
  }
}

export async function handleAppRequest(rendererDir: string, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 })
  if (!isAppUrl(request.url)) return new Response(null, { status: 404 })
  const file = await resolveStaticFile(rendererDir, new URL(request.url).pathname)
  if (!file) return new Response('not found', { status: 404, headers: securityHeaders() })
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(file.body), {
    status: 200,
    headers: { ...securityHeaders(), 'Content-Type': file.contentType }
  })
}
