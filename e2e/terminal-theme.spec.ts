/// <reference lib="dom" />
// Switching the theme recolours the terminals of finished tool calls; it does not blank them.
import { startRunOnSample, useSimApp } from './support/app-setup'
import { expect, test } from './support/fixtures'

const SCENARIO = {
  name: 'e2e-terminal-theme',
  turns: [
    { output: [{ type: 'function_call', name: 'shell', arguments: { command: 'printf "first line\\nsecond line\\nthird line\\n"', timeout_ms: null } }] },
    { output: [{ type: 'message', text: 'Printed three lines.' }] }
  ]
}

test.describe('terminals and the theme', () => {
  const app = useSimApp({ scenario: SCENARIO, tokenIntervalMs: 0, ttftMs: 10, approvalMode: 'auto-in-sandbox' })

  test('a finished call keeps its output, first line included, across theme switches', async ({ page }) => {
    test.setTimeout(60_000)
    await startRunOnSample(page, app, 'Print three lines.')
    await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Completed', { timeout: 30_000 })
    const card = page.getByRole('article').filter({ hasText: 'printf' })
    await card.getByRole('button', { name: /printf/ }).click()
    const terminal = card.getByRole('log', { name: 'Terminal output' })
    await expect(terminal).toContainText('first line')
    await expect(terminal).toContainText('third line')

    const before = await page.locator('html').getAttribute('data-theme')
    await page.keyboard.press('Control+Shift+L')
    await expect(page.locator('html')).not.toHaveAttribute('data-theme', before ?? '')
    await expect(terminal).toContainText('first line')
    await expect(terminal).toContainText('third line')
    await page.keyboard.press('Control+Shift+L')
    await page.keyboard.press('Control+Shift+L')
    await expect(terminal).toContainText('first line')
    await expect(terminal).toContainText('third line')
  })
})
