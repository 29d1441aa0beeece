// Desktop notifications for runs that need the person. The window decides when (it knows what
// the person is looking at); this only shows one and brings the window forward on a click.
import { Notification, type BrowserWindow } from 'electron'

/** Shown notifications, kept so a click still reaches its handler after garbage collection. */
const shown = new Set<Notification>()

export function showNotification(window: () => BrowserWindow | null, note: { title: string; body: string }, onClick: () => void): boolean {
  if (!Notification.isSupported()) return false
  const notification = new Notification({ title: note.title, body: note.body })
  shown.add(notification)
  notification.on('click', () => {
    shown.delete(notification)
    const target = window()
    if (target) {
      if (target.isMinimized()) target.restore()
      target.show()
      target.focus()
    }
    onClick()
  })
  notification.on('close', () => shown.delete(notification))
  notification.show()
  return true
}
