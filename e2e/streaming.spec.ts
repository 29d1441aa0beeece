/// <reference lib="dom" />
// A run against the sim streams its text: the message grows while the response is open, the
// connection banner tells the truth, and the metrics view has the turn.
import { startRunOnSample, useSimApp } from './support/app-setup'
import { expect, shot, test } from './support/fixtures'

const SCENARIO = {
  name: 'e2e-stream',
  turns: [{ output: [{ type: 'reasoning', summary: 'Answer in two short paragraphs.' }, { type: 'message', fillerTokens: 400 }] }]
}

test.describe('streaming', () => {
  const app = useSimApp({ scenario: SCENARIO, tokenIntervalMs: 8, ttftMs: 100 })

  test('a run against the sim streams its text as it arrives', async ({ page }) => {
    test.setTimeout(60_000)
    await startRunOnSample(page, app, 'Tell me a story.')

    const streaming = page.getByRole('article', { name: 'Answer' })
    await expect(streaming).toHaveAttribute('aria-busy', 'true', { timeout: 20_000 })
    await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Connected · WebSocket')
    const early = (await streaming.textContent())?.length ?? 0
    await expect.poll(async () => (await streaming.textContent())?.length ?? 0).toBeGreaterThan(early + 40)
    await shot(page, 'streaming')

    await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Completed', { timeout: 30_000 })
    await expect(streaming).toHaveAttribute('aria-busy', 'false')
    const words = ((await streaming.textContent()) ?? '').trim().split(/\s+/).length
    expect(words).toBeGreaterThan(150)
    await expect(page.getByRole('group').filter({ hasText: 'Reasoning' })).toContainText('Answer in two short paragraphs.')

    await page.getByRole('button', { name: 'Metrics' }).click()
    await expect(page.getByText('Turns', { exact: true })).toBeVisible()
    await expect(page.getByRole('region', { name: 'Metrics' })).toContainText('1 (0 incremental, 1 full)')
    await shot(page, 'metrics')
  })
})
