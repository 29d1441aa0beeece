// Keeps keyboard focus inside a modal dialog while it is open, and gives it back when it closes:
// to what had focus before, or, when that is gone, to the message box.
import type { Action } from 'svelte/action'

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

function focusables(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((element) => element.getClientRects().length > 0)
}

/** The message box of the open view (task, steer or follow-up), if there is one. */
export function focusComposer(): boolean {
  const field = document.querySelector<HTMLTextAreaElement>('textarea[data-composer]')
  if (!field || field.disabled) return false
  field.focus()
  return true
}

function restore(previous: Element | null): void {
  if (previous instanceof HTMLElement && previous.isConnected && previous !== document.body && !previous.closest('[aria-modal="true"]')) {
    previous.focus()
    if (document.activeElement === previous) return
  }
  focusComposer()
}

export const trapFocus: Action<HTMLElement> = (container) => {
  const previous = document.activeElement
  function onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Tab') return
    const items = focusables(container)
    if (items.length === 0) {
      event.preventDefault()
      container.focus()
      return
    }
    const first = items[0]!
    const last = items[items.length - 1]!
    const active = document.activeElement
    const outside = !(active instanceof Node) || !container.contains(active)
    if (event.shiftKey && (active === first || active === container || outside)) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && (active === last || outside)) {
      event.preventDefault()
      first.focus()
    }
  }
  document.addEventListener('keydown', onKeydown, true)
  return {
    destroy() {
      document.removeEventListener('keydown', onKeydown, true)
      // After the dialog has left the DOM, so focus does not land in it again.
      queueMicrotask(() => restore(previous))
    }
  }
}
