/// <reference lib="dom" />
// A run against the sim streams its text: the message grows while the response is open, the
// connection banner tells the truth, and the metrics view has the turn.
import { configureCustomProvider, PROVIDER_ENV, sampleWorkspace } from './support/app-setup'
import { makeDataDir, startBrowserHost, type BrowserHost } from './support/browser-host'
import { expect, shot, test } from './support/fixtures'
import { startSimProcess, type SimProcess } from './support/sim-process'

const SCENARIO = {
  name: 'e2e-stream',
  turns: [{ output: [{ type: 'reasoning', summary: 'Answer in two short paragraphs.' }, { type: 'message', fillerTokens: 400 }] }]
}

test.describe('streaming', () => {
  let data: Awaited<ReturnType<typeof makeDataDir>>
  let sim: SimProcess
  let host: BrowserHost

  test.beforeEach(async () => {
    data = await makeDataDir()
    sim = await startSimProcess({ scenario: SCENARIO, folder: data.folder, tokenIntervalMs: 8, ttftMs: 100 })
    await configureCustomProvider(data.path, sim.baseUrl)
    host = await startBrowserHost(data.path, PROVIDER_ENV)
  })

  test.afterEach(async ({ page }) => {
    // The page goes first, so it does not see its host disappear.
    await page.close()
    await host.stop()
    await sim.stop()
    await data.dispose()
  })

  test('a run against the sim streams its text as it arrives', async ({ page }) => {
    test.setTimeout(60_000)
    const workspace = await sampleWorkspace(data.folder)
    await page.goto(host.url)
    await page.getByRole('textbox', { name: 'Repository path' }).first().fill(workspace)
    await page.getByRole('button', { name: 'Open', exact: true }).click()
    const composer = page.getByRole('textbox', { name: /Describe a task/ })
    await composer.fill('Tell me a story.')
    await composer.press('Enter')

    const streaming = page.locator('.assistant[data-streaming="true"]')
    await expect(streaming).toBeVisible({ timeout: 20_000 })
    await expect(page.locator('[data-transport-state="connected"]')).toContainText('Connected · WebSocket')
    const early = (await streaming.textContent())?.length ?? 0
    await expect.poll(async () => (await streaming.textContent())?.length ?? 0).toBeGreaterThan(early + 40)
    await shot(page, 'streaming')

    await expect(page.getByTestId('run-phase')).toHaveText('Completed', { timeout: 30_000 })
    await expect(page.locator('.assistant[data-streaming="false"]')).toHaveCount(1)
    const words = ((await page.locator('.assistant').textContent()) ?? '').trim().split(/\s+/).length
    expect(words).toBeGreaterThan(150)
    await expect(page.locator('details.reasoning')).toContainText('Answer in two short paragraphs.')

    await page.getByRole('button', { name: 'Metrics' }).click()
    await expect(page.getByText('Turns', { exact: true })).toBeVisible()
    await expect(page.locator('.cards')).toContainText('1 (0 incremental, 1 full)')
    await shot(page, 'metrics')
  })
})
