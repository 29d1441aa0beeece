/// <reference lib="dom" />
// A past run: the runs list shows it with its status and duration, and the replay scrubber
// shows the state after any event.
import { startRunOnSample, useSimApp } from './support/app-setup'
import { expect, shot, test } from './support/fixtures'

const SCENARIO = {
  name: 'e2e-short',
  turns: [
    { output: [{ type: 'message', text: 'Looking at the files first.' }, { type: 'function_call', name: 'shell', arguments: { command: 'ls', timeout_ms: null } }] },
    { output: [{ type: 'message', text: 'The repository holds **a small library** and its tests.' }] }
  ]
}

test.describe('runs and replay', () => {
  const app = useSimApp({ scenario: SCENARIO, tokenIntervalMs: 1, ttftMs: 10 })

  test('the runs list and the replay scrubber show a past run', async ({ page }) => {
    test.setTimeout(60_000)
    await startRunOnSample(page, app, 'What is in this repository?')
    await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Completed', { timeout: 30_000 })

    // A fresh page, as after reopening the app: the run is in the list with its outcome and duration.
    await page.goto(app.host.url)
    const run = page.getByRole('list', { name: 'Runs' }).getByRole('button').first()
    await expect(run).toContainText('What is in this repository?')
    await expect(run).toContainText(/Completed · \d/)
    await run.click()
    await expect(page.getByRole('article', { name: 'Answer' }).last()).toContainText('a small library')
    await expect(page.getByRole('article').filter({ hasText: 'ls' })).toHaveAttribute('data-status', 'ok')

    await page.getByRole('button', { name: 'Replay' }).click()
    const replayed = page.getByRole('region', { name: 'Replay' })
    const position = page.getByText(/^Event \d+ of \d+$/)
    await expect(position).toBeVisible()
    const total = Number((await position.textContent())?.match(/of (\d+)/)?.[1])
    expect(total).toBeGreaterThan(10)
    await expect(page.getByTestId('replay-record')).toContainText('Run finished · completed')

    await page.getByRole('button', { name: 'To the start' }).click()
    await expect(page.getByTestId('replay-record')).toHaveText('Before the first event')
    await expect(replayed.getByRole('list', { name: 'Transcript' }).getByRole('listitem')).toHaveCount(0)
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await expect(page.getByTestId('replay-record')).toContainText('Task · What is in this repository?')
    await expect(replayed.getByRole('article', { name: 'Your message' })).toHaveCount(1)
    await expect(replayed.getByRole('article', { name: 'Answer' })).toHaveCount(0)

    // Half way: the first answer is there, the last one is not.
    const slider = page.getByRole('slider', { name: /Timeline/ })
    await slider.fill(String(Math.floor(total / 2)))
    await expect(replayed.getByRole('article', { name: 'Answer' }).first()).toContainText('Looking at the files first.')
    await expect(replayed).not.toContainText('a small library')
    await shot(page, 'replay-scrubber')
    await page.keyboard.press('End')
    await expect(replayed).toContainText('a small library')
  })
})
