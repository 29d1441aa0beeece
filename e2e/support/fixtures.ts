// The e2e test object: every page fails its test on an unexpected console error or page error,
// and `shot` saves a named screenshot under e2e/output/screenshots.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test as base, type Page } from '@playwright/test'

export const SCREENSHOTS = join(import.meta.dirname, '..', 'output', 'screenshots')

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
}

export interface ConsoleGuard {
  /** Errors this test provokes on purpose (e.g. the socket failing while the host restarts). */
  allow(pattern: RegExp): void
}

export const test = base.extend<{ consoleGuard: ConsoleGuard }>({
  consoleGuard: [
    async ({ page }, use) => {
      const errors: string[] = []
      const allowed: RegExp[] = []
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console: ${message.text()}`)
      })
      page.on('pageerror', (error) => errors.push(`page error: ${error.message}`))
      await use({ allow: (pattern) => allowed.push(pattern) })
      const unexpected = errors.filter((error) => !allowed.some((pattern) => pattern.test(error)))
      expect(unexpected, 'the page logged errors').toEqual([])
    },
    { auto: true }
  ],
  page: async ({ page }, use) => {
    await page.setViewportSize({ width: 1360, height: 860 })
    await use(page)
  }
})

export { expect }
