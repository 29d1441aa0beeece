// Layout checks that read the page as a person sees it.
import type { Page } from '@playwright/test'

/**
 * What scrolls or sticks out sideways without being meant to: the document, the main area, any
 * scrolling element under it that is wider inside than out (code blocks and terminals excepted:
 * long lines scroll there on purpose), and any element whose right edge passes the main area's
 * without a clipping ancestor. Each is described by its tag, role and label.
 */
export function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = []
    const describe = (element: Element): string =>
      `${element.tagName.toLowerCase()}${element.getAttribute('role') ? `[role=${element.getAttribute('role')}]` : ''}${element.getAttribute('aria-label') ? `[${element.getAttribute('aria-label')}]` : ''} ${element.scrollWidth}>${element.clientWidth}`
    const root = document.documentElement
    if (root.scrollWidth > root.clientWidth) found.push(describe(root))
    const main = document.querySelector('main')
    if (!main) return ['no main element']
    if (main.scrollWidth > main.clientWidth) found.push(describe(main))
    const mainRight = main.getBoundingClientRect().right
    for (const element of main.querySelectorAll('*')) {
      const box = element.getBoundingClientRect()
      if (box.width === 0 || box.height === 0) continue
      const overflowX = getComputedStyle(element).overflowX
      const meantToScroll = element.tagName === 'PRE' || element.closest('[role=log]') !== null
      if ((overflowX === 'auto' || overflowX === 'scroll') && !meantToScroll && element.scrollWidth > element.clientWidth + 1) found.push(describe(element))
      let clipped = false
      for (let parent = element.parentElement; parent && parent !== main; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX !== 'visible') {
          clipped = true
          break
        }
      }
      if (!clipped && box.right > mainRight + 1) found.push(`${describe(element)} right edge ${Math.round(box.right)} > ${Math.round(mainRight)}`)
    }
    return found
  })
}
