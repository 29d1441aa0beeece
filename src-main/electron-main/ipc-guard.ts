// Who may call the API over IPC: only the main frame of the app's own window, loaded from the
// app:// origin. Iframes, child windows and pages that navigated elsewhere are refused.
import { isAppUrl } from './app-protocol'

/** The parts of Electron's WebFrameMain the check reads. */
export interface SenderFrame {
  url: string
  parent: unknown
}

/** Why a message must be refused, or null when its sender is the app's main frame. */
export function senderProblem(frame: SenderFrame | null | undefined): string | null {
  if (!frame) return 'the sending frame is gone'
  if (frame.parent !== null) return 'only the main frame may call Tether'
  if (!isAppUrl(frame.url)) return `a page outside the app (${safeOrigin(frame.url)}) may not call Tether`
  return null
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return 'unknown origin'
  }
}
