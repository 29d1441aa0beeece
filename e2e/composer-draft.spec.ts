/// <reference lib="dom" />
// A sent message leaves the composer: its draft does not come back when the person returns to it.
import { startRunOnSample, useSimApp } from './support/app-setup'
import { expect, test } from './support/fixtures'

const SCENARIO = { name: 'e2e-draft', turns: [{ output: [{ type: 'message', text: 'Nothing to do.' }] }, { output: [{ type: 'message', text: 'Still nothing.' }] }] }

test.describe('composer drafts', () => {
  const app = useSimApp({ scenario: SCENARIO, tokenIntervalMs: 0, ttftMs: 10 })

  test('the task box is empty after a run started from it, and the follow-up box after sending', async ({ page }) => {
    test.setTimeout(60_000)
    await startRunOnSample(page, app, 'A task that was sent.')
    await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Completed', { timeout: 30_000 })
    await page.getByRole('button', { name: 'New run' }).click()
    await expect(page.getByRole('textbox', { name: /Describe a task/ })).toHaveValue('')

    await page.getByRole('list', { name: 'Runs' }).getByRole('button', { name: /A task that was sent/ }).click()
    const followUp = page.getByRole('textbox', { name: /Send a follow-up/ })
    await followUp.fill('A follow-up that was sent.')
    await followUp.press('Enter')
    await expect(page.getByRole('listitem').filter({ hasText: 'Still nothing.' })).toBeVisible({ timeout: 30_000 })
    await page.getByRole('button', { name: 'New run' }).click()
    await page.getByRole('list', { name: 'Runs' }).getByRole('button', { name: /A task that was sent/ }).click()
    await expect(page.getByRole('textbox', { name: /Send a follow-up/ })).toHaveValue('')
    await page.reload()
    await page.getByRole('list', { name: 'Runs' }).getByRole('button', { name: /A task that was sent/ }).click()
    await expect(page.getByRole('textbox', { name: /Send a follow-up/ })).toHaveValue('')
  })
})
