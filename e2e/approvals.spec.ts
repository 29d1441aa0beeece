/// <reference lib="dom" />
// Approvals against a model server Tether reaches over the network: a denial with a message
// reaches the model, and an approval still pending when the host stops is asked again after a
// restart, and the run carries on from there.
import { configureCustomProvider, PROVIDER_ENV, sampleWorkspace } from './support/app-setup'
import { makeDataDir, startBrowserHost, type BrowserHost } from './support/browser-host'
import { expect, shot, test } from './support/fixtures'
import { startRecordingProxy, type RecordingProxy } from './support/recording-proxy'
import { startSimProcess, type SimProcess } from './support/sim-process'
import type { Page } from '@playwright/test'

const RISKY = 'rm -rf build && node scripts/build.js'

async function startTask(page: Page, workspace: string, task: string): Promise<void> {
  await page.getByRole('button', { name: 'Open folder…' }).first().click()
  await page.getByRole('textbox', { name: 'Repository path' }).first().fill(workspace)
  await page.getByRole('textbox', { name: 'Repository path' }).first().press('Enter')
  const composer = page.getByRole('textbox', { name: /Describe a task/ })
  await composer.fill(task)
  await composer.press('Enter')
}

test.describe('approvals', () => {
  let data: Awaited<ReturnType<typeof makeDataDir>>
  let sim: SimProcess
  let proxy: RecordingProxy
  let host: BrowserHost
  let workspace: string

  test.beforeEach(async () => {
    data = await makeDataDir()
    sim = await startSimProcess({ scenario: 'demo', folder: data.folder, tokenIntervalMs: 1, ttftMs: 20 })
    proxy = await startRecordingProxy(sim.baseUrl)
    await configureCustomProvider(data.path, proxy.baseUrl)
    workspace = await sampleWorkspace(data.folder)
    host = await startBrowserHost(data.path, PROVIDER_ENV)
  })

  test.afterEach(async ({ page }) => {
    // The page goes first, so it does not see its host disappear.
    await page.close()
    await host.stop()
    await proxy.close()
    await sim.stop()
    await data.dispose()
  })

  test('a denial with a message reaches the model, decided from the keyboard', async ({ page }) => {
    test.setTimeout(90_000)
    await page.goto(host.url)
    await startTask(page, workspace, 'The build output looks stale. Check it and rebuild it if needed.')
    const dialog = page.getByRole('alertdialog')
    await expect(dialog).toBeVisible({ timeout: 30_000 })
    await expect(dialog).toContainText(RISKY)
    await page.waitForTimeout(500)
    await page.keyboard.press('d')
    await page.keyboard.type('keep the old build, I need it for a diff')
    await shot(page, 'approval-deny-message')
    await page.keyboard.press('Enter')
    await expect(dialog).toBeHidden()

    const card = page.getByRole('article').filter({ hasText: RISKY })
    await expect(card).toHaveAttribute('data-status', 'denied')
    await expect(card).toContainText('keep the old build, I need it for a diff')
    await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Completed', { timeout: 60_000 })
    const outputs = proxy
      .received()
      .flatMap((message) => ((message as { input?: { type: string; output?: string }[] }).input ?? []))
      .filter((item) => item.type === 'function_call_output')
      .map((item) => item.output ?? '')
    expect(outputs).toContain('The person denied this command: keep the old build, I need it for a diff')
  })

  test('an approval pending when the host stops is asked again after a restart', async ({ page, consoleGuard }) => {
    test.setTimeout(90_000)
    consoleGuard.allow(/WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/bridge' failed/)
    await page.goto(host.url)
    await startTask(page, workspace, 'The build output looks stale. Check it and rebuild it if needed.')
    await expect(page.getByRole('alertdialog')).toBeVisible({ timeout: 30_000 })

    await host.stop('SIGKILL')
    await expect(page.getByText(/Lost the connection to Tether/)).toBeVisible()
    host = await startBrowserHost(data.path, PROVIDER_ENV)
    await page.goto(host.url)
    const listed = page.getByRole('list', { name: 'Runs' }).getByRole('button', { name: /The build output looks stale/ })
    await expect(listed).toContainText('Unfinished')
    await listed.click()

    const dialog = page.getByRole('alertdialog')
    await expect(dialog).toBeVisible()
    await expect(dialog).toContainText(RISKY)
    await expect(dialog).toContainText('Tether stopped while this was waiting. Your decision resumes the run.')
    await shot(page, 'approval-after-restart')
    await dialog.getByRole('button', { name: /Allow once/ }).click()

    const card = page.getByRole('article').filter({ hasText: RISKY })
    await expect(card).toHaveAttribute('data-status', 'ok', { timeout: 30_000 })
    await expect(card.getByRole('log', { name: 'Terminal output' })).toContainText(/\S/)
    await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Completed', { timeout: 60_000 })
  })
})
