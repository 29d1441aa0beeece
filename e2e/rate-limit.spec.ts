/// <reference lib="dom" />
// A rate-limited request: the connection banner says so and counts down the wait the server
// asked for, then the run goes on and completes.
import { startRunOnSample, useSimApp } from './support/app-setup'
import { expect, shot, test } from './support/fixtures'

const SCENARIO = {
  name: 'e2e-rate-limit',
  // The first request is refused with 429 and `retry-after: 6` (plus OpenAI's rate-limit headers).
  faults: ['rate-limit:6@0'],
  turns: [{ output: [{ type: 'message', text: 'Done after the wait.' }] }]
}

test.describe('rate limits', () => {
  const app = useSimApp({ scenario: SCENARIO, tokenIntervalMs: 5, ttftMs: 50 })

  test('the banner says "rate limited, retrying in N s" and the run then completes', async ({ page }) => {
    test.setTimeout(60_000)
    await startRunOnSample(page, app, 'Say something.')
    const banner = page.locator('[data-transport-state="retrying"]')
    await expect(banner).toContainText(/Rate limited, retrying in [1-6] s/, { timeout: 20_000 })
    await expect(banner).toContainText('attempt 1/6 · rate_limit_exceeded')
    await shot(page, 'rate-limited')
    await expect(page.getByTestId('run-phase')).toHaveText('Completed', { timeout: 30_000 })
    await expect(page.locator('.assistant')).toContainText('Done after the wait.')
  })
})
