// Whether the person wants desktop notifications when a run needs them, and how one reaches
// them: through the host in the desktop app (Electron's Notification), through the web
// Notification API in a browser, once the person allowed it in Settings.
import type { HostKind } from '../../../src-main/common/api/contract'
import type { TetherClient } from '../api/client'

const KEY = 'tether.notifications'

export type NotificationPermissionState = 'granted' | 'denied' | 'default' | 'unsupported'

export interface RunNotice {
  runId: string
  title: string
  body: string
}

class Notifications {
  /** The person's choice; null until they make one (then the host kind decides). */
  #choice = $state<boolean | null>(null)
  permission = $state<NotificationPermissionState>('unsupported')
  #host = $state<HostKind>('browser')

  init(): void {
    const saved = localStorage.getItem(KEY)
    this.#choice = saved === 'on' ? true : saved === 'off' ? false : null
    this.permission = 'Notification' in window ? Notification.permission : 'unsupported'
  }

  setHost(host: HostKind): void {
    this.#host = host
  }

  /** On by default in the desktop app; in a browser only after the person turned them on. */
  get enabled(): boolean {
    return this.#choice ?? this.#host === 'electron'
  }

  /** Turns notifications on or off; in a browser turning them on asks for the permission. */
  async set(on: boolean): Promise<void> {
    this.#choice = on
    localStorage.setItem(KEY, on ? 'on' : 'off')
    if (on && this.#host === 'browser' && this.permission === 'default') this.permission = await Notification.requestPermission()
  }

  /** Shows `notice` if the person wants notifications and they can be shown; `onClick` opens the run. */
  async show(client: TetherClient, notice: RunNotice, onClick: () => void): Promise<void> {
    if (!this.enabled) return
    if (this.#host === 'electron') {
      await client.call('notify', notice).catch(() => undefined)
      return
    }
    if (this.permission !== 'granted') return
    const shown = new Notification(notice.title, { body: notice.body, tag: notice.runId })
    shown.onclick = () => {
      window.focus()
      shown.close()
      onClick()
    }
  }
}

export const notifications = new Notifications()
