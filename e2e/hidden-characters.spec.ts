/// <reference lib="dom" />
// Even in auto-in-sandbox, a command with control or bidi characters asks, and the dialog shows
// them as escapes; a command on the floor (inline code deleting .git) asks with the warning.
import { startRunOnSample, useSimApp } from './support/app-setup'
import { expect, shot, test } from './support/fixtures'

const HIDDEN = 'echo \u001b[2J\u202eimportant\u200b'
const FLOOR = "python3 -c \"import shutil; shutil.rmtree('.git')\""

const SCENARIO = {
  name: 'e2e-hidden-characters',
  turns: [
    { output: [{ type: 'function_call', name: 'shell', arguments: { command: HIDDEN, timeout_ms: null } }] },
    { output: [{ type: 'function_call', name: 'shell', arguments: { command: FLOOR, timeout_ms: null } }] },
    { output: [{ type: 'message', text: 'Both were refused.' }] }
  ]
}

test.describe('commands that hide what they run', () => {
  const app = useSimApp({ scenario: SCENARIO, tokenIntervalMs: 1, ttftMs: 10, approvalMode: 'auto-in-sandbox' })

  test('ask in auto-in-sandbox and are shown escaped in the approval dialog', async ({ page }) => {
    test.setTimeout(60_000)
    await startRunOnSample(page, app, 'Print the banner.')

    const dialog = page.getByRole('alertdialog')
    await expect(dialog).toBeVisible({ timeout: 30_000 })
    const subject = dialog.locator('#approval-subject')
    await expect(subject).toHaveText('echo \\x1b[2J\\u202eimportant\\u200b')
    await expect(dialog).toContainText('display differently from how they run')
    const shown = await dialog.innerText()
    expect(shown).not.toMatch(/[\u001b\u202e\u200b]/)
    await shot(page, 'approval-hidden-characters')
    await page.waitForTimeout(500)
    await page.keyboard.press('Escape')

    await expect(dialog).toBeVisible({ timeout: 30_000 })
    await expect(subject).toHaveText(FLOOR)
    await expect(dialog.getByRole('note')).toContainText('destructive floor')
    await page.waitForTimeout(500)
    await page.keyboard.press('Escape')
    await expect(page.locator('.assistant').last()).toContainText('Both were refused.', { timeout: 20_000 })
    const label = page.locator('[data-status]').first()
    await expect(label).not.toContainText('\u001b')
  })
})
