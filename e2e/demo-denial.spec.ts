/// <reference lib="dom" />
// The scripted demo answers a denial as a model would: it does not claim the command ran.
import { useFreshApp } from './support/app-setup'
import { expect, test } from './support/fixtures'

test.describe('the scripted demo after a denial', () => {
  const app = useFreshApp()

  test('says the rebuild did not happen', async ({ page }) => {
    test.setTimeout(120_000)
    await page.goto(app.host.url)
    await page.getByRole('button', { name: 'Run the scripted demo' }).click()
    const dialog = page.getByRole('alertdialog')
    await expect(dialog).toBeVisible({ timeout: 60_000 })
    await dialog.getByRole('button', { name: /Deny/ }).click()
    await dialog.getByRole('textbox', { name: /Tell the model why/ }).fill('not now')
    await dialog.getByRole('button', { name: 'Deny', exact: true }).click()
    await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Completed', { timeout: 60_000 })
    const transcript = page.getByRole('list', { name: 'Transcript' })
    const last = transcript.getByRole('listitem').last()
    await expect(last).toContainText('did not run')
    await expect(transcript).not.toContainText('The build is fresh again')
    await expect(transcript).not.toContainText('Checking the fresh output')
  })
})
