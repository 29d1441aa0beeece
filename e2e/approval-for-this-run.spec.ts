/// <reference lib="dom" />
// "For this run" covers the same command for the rest of the run, also when no prefix rule can be
// saved for it (a compound command): the second time it runs without asking.
import { startRunOnSample, useSimApp } from './support/app-setup'
import { expect, test } from './support/fixtures'

const COMMAND = 'rm -rf build && node scripts/build.js'
const SCENARIO = {
  name: 'e2e-for-this-run',
  turns: [
    { output: [{ type: 'function_call', name: 'shell', arguments: { command: COMMAND, timeout_ms: 60000 } }] },
    { output: [{ type: 'message', text: 'Once more, to be sure.' }, { type: 'function_call', name: 'shell', arguments: { command: COMMAND, timeout_ms: 60000 } }] },
    { output: [{ type: 'message', text: 'Rebuilt twice.' }] }
  ]
}

test.describe('allowing a command for this run', () => {
  const app = useSimApp({ scenario: SCENARIO, tokenIntervalMs: 0, ttftMs: 10 })

  test('the same command in the same run does not ask again', async ({ page }) => {
    test.setTimeout(90_000)
    await startRunOnSample(page, app, 'Rebuild twice.')
    const dialog = page.getByRole('alertdialog')
    await expect(dialog).toBeVisible({ timeout: 30_000 })
    await dialog.getByRole('button', { name: /For this run/ }).click()
    await expect(dialog).toBeHidden()
    await expect(page.getByRole('listitem').filter({ hasText: 'Rebuilt twice.' })).toBeVisible({ timeout: 30_000 })
    await expect(dialog).toBeHidden()
    const cards = page.getByRole('article').filter({ hasText: COMMAND })
    await expect(cards).toHaveCount(2)
    await expect(cards.nth(0)).toHaveAttribute('data-status', 'ok')
    await expect(cards.nth(1)).toHaveAttribute('data-status', 'ok')
    await cards.nth(1).getByRole('button', { name: new RegExp(COMMAND.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).click()
    await expect(cards.nth(1)).toContainText('Allowed for this run')
    await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Completed')
  })
})
