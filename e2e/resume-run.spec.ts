/// <reference lib="dom" />
// Resuming an interrupted run: the header says it runs again, and the transcript marks where it
// resumed.
import { startRunOnSample, useSimApp } from './support/app-setup'
import { expect, test } from './support/fixtures'

const SCENARIO = {
  name: 'e2e-resume',
  turns: [
    { output: [{ type: 'message', text: 'Starting the slow step.' }, { type: 'function_call', name: 'shell', arguments: { command: 'sleep 30', timeout_ms: null } }] },
    { output: [{ type: 'message', text: 'Picking up where I left off. ' + 'Still writing this answer slowly. '.repeat(30) }] }
  ]
}

test.describe('resuming a run', () => {
  const app = useSimApp({ scenario: SCENARIO, tokenIntervalMs: 40, ttftMs: 10, approvalMode: 'auto-in-sandbox' })

  test('a resumed run is shown as running, with a marker where it resumed', async ({ page }) => {
    test.setTimeout(90_000)
    await startRunOnSample(page, app, 'Run the slow step.')
    const card = page.getByRole('article').filter({ hasText: 'sleep 30' })
    await expect(card).toHaveAttribute('data-status', 'running', { timeout: 30_000 })
    await page.getByRole('button', { name: 'Interrupt' }).click()
    const phase = page.getByRole('status', { name: 'Run status' })
    await expect(phase).toHaveText('Interrupted', { timeout: 15_000 })

    await page.getByRole('button', { name: 'Resume run' }).click()
    await expect(phase).toHaveText(/^Running/, { timeout: 15_000 })
    const transcript = page.getByRole('list', { name: 'Transcript' })
    await expect(transcript.getByRole('separator', { name: /^Resumed/ })).toBeVisible()
    await expect(transcript.getByRole('listitem').last()).toContainText('Picking up where I left off.', { timeout: 30_000 })
  })
})
