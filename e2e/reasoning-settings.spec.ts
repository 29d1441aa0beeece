/// <reference lib="dom" />
// Reasoning controls in Settings reach the run: the run log's run.started says what the model
// was asked for, and the reasoning the sim streams is shown, collapsible.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startRunOnSample, useSimApp } from './support/app-setup'
import { expect, shot, test } from './support/fixtures'

const SCENARIO = {
  name: 'e2e-reasoning',
  turns: [{ output: [{ type: 'reasoning', summary: 'Check the manifest first.' }, { type: 'message', text: 'Done.' }] }]
}

test.describe('reasoning settings', () => {
  const app = useSimApp({ scenario: SCENARIO, tokenIntervalMs: 5, ttftMs: 50 })

  test('effort and summary chosen in Settings go with the next run', async ({ page }) => {
    test.setTimeout(60_000)
    await page.goto(app.host.url)
    await page.keyboard.press('Control+,')
    const dialog = page.getByRole('dialog', { name: 'Settings' })
    await dialog.getByRole('combobox', { name: 'Reasoning effort' }).selectOption('high')
    await dialog.getByRole('combobox', { name: 'Reasoning summary' }).selectOption('detailed')
    await shot(page, 'reasoning-settings')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expect(dialog).toBeHidden()

    await startRunOnSample(page, app, 'Look around.')
    await expect(page.getByTestId('run-phase')).toHaveText('Completed', { timeout: 30_000 })
    const reasoning = page.locator('details.reasoning')
    await expect(reasoning).toContainText('Check the manifest first.')
    await reasoning.locator('summary').click()
    await expect(reasoning).toHaveAttribute('open', '')

    const runs = join(app.data.path, 'runs')
    const log = (await readdir(runs)).find((name) => name.endsWith('.jsonl'))!
    const started = JSON.parse((await readFile(join(runs, log), 'utf8')).split('\n')[0]!) as { settings: { reasoning?: unknown } }
    expect(started.settings.reasoning).toEqual({ effort: 'high', summary: 'detailed' })
  })
})
