/// <reference lib="dom" />
// Smaller defects of the run view: the size of the task box, the first line of a terminal, focus
// rings, calls that never ran, live durations in the runs list, and Retry for a failed run.
import type { Page } from '@playwright/test'
import { sampleWorkspace, startRunOnSample, useSimApp } from './support/app-setup'
import { expect, test } from './support/fixtures'
import { tabThrough } from './support/keyboard'

const SCENARIO = {
  name: 'e2e-run-details',
  turns: [
    {
      output: [
        { type: 'message', text: 'Printing, then the slow step.' },
        { type: 'function_call', name: 'shell', arguments: { command: 'printf "alpha\\nbeta\\ngamma\\n"', timeout_ms: null } }
      ]
    },
    {
      output: [
        { type: 'function_call', name: 'shell', arguments: { command: 'sleep 30', timeout_ms: null } },
        { type: 'function_call', name: 'shell', arguments: { command: 'touch after-the-slow-step', timeout_ms: null } }
      ]
    },
    { output: [{ type: 'message', text: 'Done.' }] }
  ]
}

/** Interrupts the run once its slow step runs, so the host does not wait for it when the test ends. */
async function stopTheSlowStep(page: Page): Promise<void> {
  await expect(page.getByRole('article').filter({ hasText: 'sleep 30' })).toHaveAttribute('data-status', 'running', { timeout: 30_000 })
  await page.getByRole('button', { name: 'Interrupt' }).click()
  await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Interrupted', { timeout: 15_000 })
}

test.describe('run view details', () => {
  const app = useSimApp({ scenario: SCENARIO, tokenIntervalMs: 0, ttftMs: 10, approvalMode: 'auto-in-sandbox' })

  test('the task box is wide and tall enough to write a task in', async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 })
    const workspace = await sampleWorkspace(app.data.folder)
    await page.goto(app.host.url)
    await page.getByRole('textbox', { name: 'Repository path' }).first().fill(workspace)
    await page.getByRole('button', { name: 'Open', exact: true }).click()
    const task = page.getByRole('textbox', { name: /Describe a task/ })
    const box = await task.boundingBox()
    const main = await page.getByRole('main').boundingBox()
    expect(box!.height).toBeGreaterThanOrEqual(110)
    expect(box!.width).toBeGreaterThanOrEqual(Math.min(840, main!.width - 96))
  })

  test('a short output shows its first line', async ({ page }) => {
    test.setTimeout(60_000)
    await startRunOnSample(page, app, 'Print and wait.')
    const card = page.getByRole('article').filter({ hasText: 'printf' })
    await expect(card).toHaveAttribute('data-status', 'ok', { timeout: 30_000 })
    await card.getByRole('button', { name: /printf/ }).click()
    const terminal = card.getByRole('log', { name: 'Terminal output' })
    await expect(terminal).toContainText('gamma')
    await expect(terminal).toContainText('alpha')
    await stopTheSlowStep(page)
  })

  test('calls that never ran do not stay "Queued" once the run has ended', async ({ page }) => {
    test.setTimeout(60_000)
    await startRunOnSample(page, app, 'Print and wait.')
    const slow = page.getByRole('article').filter({ hasText: 'sleep 30' })
    await expect(slow).toHaveAttribute('data-status', 'running', { timeout: 30_000 })
    await page.getByRole('button', { name: 'Interrupt' }).click()
    await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Interrupted', { timeout: 15_000 })
    // Started together with the slow step (one write-ahead sync for both), it was cut off before it ran.
    const never = page.getByRole('article').filter({ hasText: 'touch after-the-slow-step' })
    await expect(never).toContainText('Interrupted')
    await expect(never).toContainText('The person interrupted the run before this call ran.')
    await expect(never).not.toContainText('Queued')
  })

  test('the duration of a running run in the runs list keeps counting', async ({ page }) => {
    test.setTimeout(60_000)
    await startRunOnSample(page, app, 'Print and wait.')
    await expect(page.getByRole('article').filter({ hasText: 'sleep 30' })).toHaveAttribute('data-status', 'running', { timeout: 30_000 })
    const listed = page.getByRole('list', { name: 'Runs' }).getByRole('button', { name: /Print and wait/ })
    await expect(listed).toContainText(/Running · \d/)
    const first = await listed.textContent()
    await expect.poll(() => listed.textContent(), { timeout: 5_000 }).not.toBe(first)
    await stopTheSlowStep(page)
  })

  test('every control of the run view shows where focus is', async ({ page }) => {
    test.setTimeout(60_000)
    await startRunOnSample(page, app, 'Print and wait.')
    await expect(page.getByRole('article').filter({ hasText: 'sleep 30' })).toHaveAttribute('data-status', 'running', { timeout: 30_000 })
    await page.getByRole('button', { name: 'Interrupt' }).click()
    await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Interrupted', { timeout: 15_000 })
    const printed = page.getByRole('article').filter({ hasText: 'printf' })
    await printed.getByRole('button', { name: /printf/ }).click()
    await expect(printed.getByRole('log', { name: 'Terminal output' })).toContainText('gamma')
    const stops = await tabThrough(page)
    expect(stops.length).toBeGreaterThan(10)
    expect(stops.filter((stop) => !stop.visible).map((stop) => stop.name)).toEqual([])
  })
})

const FAILING = {
  name: 'e2e-failing',
  turns: [{ output: [{ type: 'message', text: 'This will fail.' }], end: { status: 'failed', code: 'server_error', message: 'The server had an error.', times: 100 } }]
}

test.describe('a failed run', () => {
  const app = useSimApp({ scenario: FAILING, tokenIntervalMs: 0, ttftMs: 0 })

  test('offers Retry, which runs it again', async ({ page }) => {
    test.setTimeout(90_000)
    await startRunOnSample(page, app, 'Try something that fails.')
    const phase = page.getByRole('status', { name: 'Run status' })
    await expect(phase).toHaveText('Failed', { timeout: 60_000 })
    await page.getByRole('button', { name: 'Retry' }).click()
    await expect(page.getByRole('list', { name: 'Transcript' }).getByRole('separator', { name: /^Resumed/ })).toHaveCount(1)
  })
})
