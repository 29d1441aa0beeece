/// <reference lib="dom" />
// A newcomer with no API key: the welcome page offers the scripted demo, which streams, runs
// tools in the sandbox, asks for one risky command, and leaves a saved run.
import { useFreshApp } from './support/app-setup'
import { expect, shot, test } from './support/fixtures'

test.describe('the scripted demo', () => {
  const app = useFreshApp()

  test('runs without a key: streaming, sandboxed tools, an approval from the keyboard, a saved run', async ({ page }) => {
    test.setTimeout(120_000)
    await page.goto(app.host.url)
    await expect(page.getByRole('heading', { name: 'Try the scripted demo' })).toBeVisible()
    await shot(page, 'welcome')
    await page.getByRole('button', { name: 'Run the scripted demo' }).click()

    await expect(page.getByText('Scripted demo', { exact: true })).toBeVisible()
    await expect(page.getByRole('article', { name: 'Answer' }).first()).toContainText('Let me look at the project layout', { timeout: 20_000 })
    await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Connected · WebSocket')
    await shot(page, 'demo-running')

    const dialog = page.getByRole('alertdialog')
    await expect(dialog).toBeVisible({ timeout: 60_000 })
    await expect(dialog).toContainText('rm -rf build && node scripts/build.js')
    await expect(dialog).toContainText('Runs in the sandbox')
    await shot(page, 'approval-dialog')
    // Keyboard only: the dialog has focus; Enter allows once (after its short arming delay).
    await expect(dialog).toBeFocused()
    await page.waitForTimeout(500)
    await page.keyboard.press('Enter')
    await expect(dialog).toBeHidden()

    const card = page.getByRole('article').filter({ hasText: 'rm -rf build && node scripts/build.js' })
    await expect(card).toHaveAttribute('data-status', 'ok', { timeout: 30_000 })
    await expect(card.getByRole('log', { name: 'Terminal output' })).toContainText(/\S/)
    await expect(card).toContainText('You allowed it once.')

    await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Completed', { timeout: 60_000 })
    await shot(page, 'demo-completed')
    const listed = page.getByRole('list', { name: 'Runs' }).getByRole('button')
    await expect(listed).toHaveCount(1)
    await expect(listed.first()).toContainText('Completed')
    await expect(listed.first()).toContainText('demo')
  })
})
