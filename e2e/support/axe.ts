// Accessibility checks with axe-core, injected into the page as source (the app's CSP allows no
// inline script tags; Playwright's evaluate is not subject to it).
import { createRequire } from 'node:module'
import type { Page } from '@playwright/test'

const axeSource: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  targets: string[]
}

/** Serious and critical violations on the page as it is now (contrast included). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource)
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe
    const result = await axe.run(document, { resultTypes: ['violations'] })
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, targets: violation.nodes.map((node) => node.target.join(' ')) }))
  })
}
