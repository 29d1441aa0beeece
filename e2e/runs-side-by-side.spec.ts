/// <reference lib="dom" />
// Four runs at once (three repositories, two runs in the same one), each waiting for its own
// approval: the person leaves each one waiting, starts the next, then answers them in another
// order than they asked, and every run finishes with its own answer.
import type { Page } from '@playwright/test'
import { configureCustomProvider, PROVIDER_ENV, sampleWorkspace } from './support/app-setup'
import { makeDataDir, startBrowserHost, type BrowserHost } from './support/browser-host'
import { expect, shot, test } from './support/fixtures'
import { startSimProcess, type SimProcess } from './support/sim-process'

const RISKY = 'rm -rf build && node scripts/build.js'

async function openRepo(page: Page, workspace: string): Promise<void> {
  await page.getByRole('button', { name: 'Open folder…' }).first().click()
  await page.getByRole('textbox', { name: 'Repository path' }).first().fill(workspace)
  await page.getByRole('textbox', { name: 'Repository path' }).first().press('Enter')
}

/** Opens a run from the list of all runs (opening a run shows its own repository's runs). */
async function openRun(page: Page, runId: string): Promise<void> {
  const showAll = page.getByRole('button', { name: 'show all' })
  if (await showAll.isVisible()) await showAll.click()
  await page.getByRole('list', { name: 'Runs' }).locator(`button[data-run-id="${runId}"]`).click()
  await expect(page.locator(`section.run[data-run-id="${runId}"]`)).toBeVisible()
}

async function startRun(page: Page, task: string): Promise<string> {
  const composer = page.getByRole('textbox', { name: /Describe a task/ })
  await composer.fill(task)
  await composer.press('Enter')
  const run = page.locator('section.run[data-run-id]')
  await expect(run).toBeVisible()
  return (await run.getAttribute('data-run-id'))!
}

test.describe('runs side by side', () => {
  let data: Awaited<ReturnType<typeof makeDataDir>>
  let sim: SimProcess
  let host: BrowserHost

  test.beforeEach(async () => {
    data = await makeDataDir()
    sim = await startSimProcess({ scenario: 'demo', folder: data.folder, tokenIntervalMs: 1, ttftMs: 20 })
    await configureCustomProvider(data.path, sim.baseUrl)
    host = await startBrowserHost(data.path, PROVIDER_ENV)
  })

  test.afterEach(async ({ page }) => {
    await page.close()
    await host.stop()
    await sim.stop()
    await data.dispose()
  })

  test('four runs wait for their own approvals and are answered in any order', async ({ page }) => {
    test.setTimeout(180_000)
    const repos = [await sampleWorkspace(data.folder), await sampleWorkspace(data.folder), await sampleWorkspace(data.folder)]
    const workspaces = [repos[0]!, repos[1]!, repos[2]!, repos[2]!]
    await page.goto(host.url)
    const dialog = page.getByRole('alertdialog')
    const runIds: string[] = []
    for (const [index, workspace] of workspaces.entries()) {
      if (index === 3) await page.getByRole('button', { name: 'New run' }).click()
      else await openRepo(page, workspace)
      runIds.push(await startRun(page, `The build output looks stale (${index + 1}). Check it and rebuild it if needed.`))
      // Each run asks about its own command; the person leaves it waiting for now.
      await expect(dialog).toBeVisible({ timeout: 60_000 })
      await expect(dialog).toContainText(RISKY)
    }
    expect(new Set(runIds).size).toBe(4)
    await shot(page, 'four-runs-waiting')

    for (const index of [2, 0, 3, 1]) {
      await openRun(page, runIds[index]!)
      await expect(dialog).toContainText(RISKY)
      await page.waitForTimeout(500)
      if (index % 2 === 0) await dialog.getByRole('button', { name: /Allow once/ }).click()
      else {
        await dialog.getByRole('button', { name: /Deny/ }).click()
        await dialog.getByRole('button', { name: 'Deny', exact: true }).click()
      }
      await expect(dialog).toBeHidden()
    }

    for (const [index, runId] of runIds.entries()) {
      await openRun(page, runId)
      await expect(page.getByTestId('run-phase')).toHaveText('Completed', { timeout: 60_000 })
      await expect(page.locator('[data-status]').filter({ hasText: RISKY })).toHaveAttribute('data-status', index % 2 === 0 ? 'ok' : 'denied')
    }
  })
})
