/// <reference lib="dom" />
// The approval dialog keeps keyboard focus inside itself, and hands it back to the message box
// once the person has decided.
import { startRunOnSample, useSimApp } from './support/app-setup'
import { expect, test } from './support/fixtures'

const SCENARIO = {
  name: 'e2e-approval-focus',
  turns: [
    { output: [{ type: 'function_call', name: 'shell', arguments: { command: 'rm -rf build', timeout_ms: null } }] },
    { output: [{ type: 'message', text: 'Removed the build directory.' }] }
  ]
}

test.describe('approval dialog focus', () => {
  const app = useSimApp({ scenario: SCENARIO, tokenIntervalMs: 0, ttftMs: 10 })

  test('Tab and Shift+Tab stay in the dialog; after the decision the message box has focus', async ({ page }) => {
    test.setTimeout(60_000)
    await startRunOnSample(page, app, 'Clean the build.')
    const dialog = page.getByRole('alertdialog', { name: 'Run this command?' })
    await expect(dialog).toBeVisible({ timeout: 30_000 })
    await expect(dialog).toBeFocused()
    const inside = () => dialog.evaluate((element) => element.contains(document.activeElement))
    for (let step = 0; step < 8; step++) {
      await page.keyboard.press('Tab')
      expect(await inside(), `focus after Tab ${step + 1}`).toBe(true)
    }
    for (let step = 0; step < 8; step++) {
      await page.keyboard.press('Shift+Tab')
      expect(await inside(), `focus after Shift+Tab ${step + 1}`).toBe(true)
    }
    await dialog.getByRole('button', { name: /Allow once/ }).click()
    await expect(dialog).toBeHidden()
    await expect(page.getByRole('textbox', { name: /Steer the run|Send a follow-up/ })).toBeFocused()
  })
})
