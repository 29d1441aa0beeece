// Where the window may go: nowhere. In-app navigation is client-side; anything else is refused,
// and only an https link leaves, to the person's browser.
import { isAppUrl } from './app-protocol'

export type NavigationVerdict = { kind: 'stay' } | { kind: 'allow' } | { kind: 'open-externally'; url: string }

/** For `will-navigate` and `will-redirect`: only the app's own pages load in the window. */
export function navigationVerdict(url: string): NavigationVerdict {
  if (isAppUrl(url)) return { kind: 'allow' }
  const external = externalLink(url)
  return external ? { kind: 'open-externally', url: external } : { kind: 'stay' }
}

/** An https URL, normalized, or null for anything else (file:, javascript:, custom schemes, http:). */
export function externalLink(url: string): string | null {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' && parsed.hostname !== '' && parsed.username === '' && parsed.password === '' ? parsed.toString() : null
  } catch {
    return null
  }
}
