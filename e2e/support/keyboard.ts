// Keyboard reachability: Tab through a page and tell, for every stop, whether a person can see
// where focus is. A stop counts as visible when enough pixels around it (up to 16 px out, so a
// ring drawn on the field's own frame counts) change by a contrast of at least 3:1 between when it
// has focus and when focus has moved on (WCAG's bar for a focus indicator). An outline that is
// clipped, faint or the colour of the background counts as invisible.
import type { Page } from '@playwright/test'

export interface TabStop {
  /** Role-ish tag and accessible label or text, for messages. */
  name: string
  visible: boolean
}

interface Focused {
  name: string
  clip: { x: number; y: number; width: number; height: number } | null
  again: boolean
}

function focused(page: Page): Promise<Focused | null> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null
    if (!element || element === document.body) return null
    const seen = ((window as unknown as { __tabSeen?: WeakSet<Element> }).__tabSeen ??= new WeakSet<Element>())
    const again = seen.has(element)
    seen.add(element)
    const label = element.getAttribute('aria-label') ?? element.getAttribute('title') ?? element.textContent?.trim().replace(/\s+/g, ' ').slice(0, 50) ?? ''
    const name = `${element.tagName.toLowerCase()}${element.getAttribute('role') ? `[role=${element.getAttribute('role')}]` : ''} "${label}"`
    const box = element.getBoundingClientRect()
    const margin = 16
    const x = Math.max(0, box.x - margin)
    const y = Math.max(0, box.y - margin)
    const width = Math.min(window.innerWidth, box.right + margin) - x
    const height = Math.min(window.innerHeight, box.bottom + margin) - y
    return { name, again, clip: width > 0 && height > 0 ? { x, y, width, height } : null }
  })
}

/** Pixels that must change by 3:1 or more: a 2 px ring around even a small control has hundreds. */
const MIN_CHANGED_PIXELS = 40

/** How many pixels differ between two same-size PNG screenshots by a contrast ratio of 3:1 or more. */
function contrastingPixels(page: Page, before: Buffer, after: Buffer): Promise<number> {
  return page.evaluate(
    async ([first, second]) => {
      const decode = async (base64: string): Promise<ImageData> => {
        // Decoded from bytes: the app's CSP would refuse a data: URL.
        const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }))
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
        const context = canvas.getContext('2d')!
        context.drawImage(bitmap, 0, 0)
        return context.getImageData(0, 0, bitmap.width, bitmap.height)
      }
      const [a, b] = await Promise.all([decode(first), decode(second)])
      const channel = (value: number): number => {
        const c = value / 255
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
      }
      const luminance = (data: Uint8ClampedArray, index: number): number =>
        0.2126 * channel(data[index]!) + 0.7152 * channel(data[index + 1]!) + 0.0722 * channel(data[index + 2]!)
      let count = 0
      for (let index = 0; index < a.data.length && index < b.data.length; index += 4) {
        const la = luminance(a.data, index)
        const lb = luminance(b.data, index)
        if ((Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05) >= 3) count++
      }
      return count
    },
    [before.toString('base64'), after.toString('base64')] as const
  )
}

/** Tabs from the start of the page until focus comes back round (or `limit` stops). */
export async function tabThrough(page: Page, limit = 120): Promise<TabStop[]> {
  await page.emulateMedia({ reducedMotion: 'reduce' })
  // Focus on <body> makes it the starting point, so the first Tab goes to the page's first control.
  await page.evaluate(() => {
    delete (window as unknown as { __tabSeen?: unknown }).__tabSeen
    document.body.tabIndex = -1
    document.body.focus()
    document.body.removeAttribute('tabindex')
  })
  const stops: TabStop[] = []
  let previous: { name: string; clip: Focused['clip']; pixels: Buffer | null } | null = null
  for (let count = 0; count < limit; count++) {
    await page.keyboard.press('Tab')
    const now = await focused(page)
    if (previous) {
      const after = previous.clip ? await page.screenshot({ clip: previous.clip, animations: 'disabled', caret: 'hide' }) : null
      stops.push({ name: previous.name, visible: previous.pixels !== null && after !== null && (await contrastingPixels(page, previous.pixels, after)) >= MIN_CHANGED_PIXELS })
    }
    if (!now || now.again) break
    const pixels = now.clip ? await page.screenshot({ clip: now.clip, animations: 'disabled', caret: 'hide' }) : null
    previous = { name: now.name, clip: now.clip, pixels }
  }
  return stops
}
