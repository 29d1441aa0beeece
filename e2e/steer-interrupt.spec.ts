/// <reference lib="dom" />
// Steering and interrupting a live run from the composer, then continuing it with a follow-up.
import { startRunOnSample, useSimApp } from './support/app-setup'
import { expect, shot, test } from './support/fixtures'

const SCENARIO = {
  name: 'e2e-interrupt',
  turns: [
    { output: [{ type: 'message', text: 'Waiting for the slow step.' }, { type: 'function_call', name: 'shell', arguments: { command: 'sleep 30', timeout_ms: null } }] },
    { output: [{ type: 'message', text: 'Stopped early, as you asked. Nothing else changed.' }] }
  ]
}

test.describe('steer and interrupt', () => {
  const app = useSimApp({ scenario: SCENARIO, tokenIntervalMs: 1, ttftMs: 10, approvalMode: 'auto-in-sandbox' })

  test('a steer is shown at once, Esc interrupts the running command, a follow-up continues the run', async ({ page }) => {
    test.setTimeout(60_000)
    await startRunOnSample(page, app, 'Run the slow step.')

    const card = page.getByRole('article').filter({ hasText: 'sleep 30' })
    await expect(card).toHaveAttribute('data-status', 'running', { timeout: 20_000 })
    const composer = page.getByRole('textbox', { name: /Steer the run/ })
    await composer.fill('Use the cached result if there is one.')
    await composer.press('Enter')
    await expect(page.getByRole('article', { name: 'Your steer' })).toContainText('Use the cached result if there is one.')
    await expect(composer).toHaveValue('')
    await shot(page, 'steer-running')

    await page.keyboard.press('Escape')
    await expect(card).toHaveAttribute('data-status', 'interrupted', { timeout: 15_000 })
    await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Interrupted')

    const followUp = page.getByRole('textbox', { name: /Send a follow-up/ })
    await followUp.fill('Summarize what happened.')
    await followUp.press('Enter')
    // Sent, so the box is empty again.
    await expect(page.getByRole('textbox', { name: /Send a follow-up|Steer the run/ })).toHaveValue('')
    await expect(page.getByRole('article', { name: 'Answer' }).last()).toContainText('Stopped early, as you asked.', { timeout: 20_000 })
    await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Completed')
    await shot(page, 'interrupted-then-follow-up')
  })
})
