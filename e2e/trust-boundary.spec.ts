/// <reference lib="dom" />
// The trust boundary as a person meets it in the app: a folder that holds their home or Tether's
// data is refused with a reason, and a hostile repository (a FIFO where git reads) opens without
// freezing the host: the app keeps answering.
import { execFileSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { makeDataDir, startBrowserHost, type BrowserHost } from './support/browser-host'
import { expect, shot, test } from './support/fixtures'
import type { Page } from '@playwright/test'

async function openFolder(page: Page, path: string): Promise<void> {
  const field = page.getByRole('textbox', { name: 'Repository path' }).first()
  if (!(await field.isVisible())) await page.getByRole('button', { name: 'Open folder…' }).first().click()
  await field.fill(path)
  await field.press('Enter')
}

test.describe('trust boundary', () => {
  let data: Awaited<ReturnType<typeof makeDataDir>>
  let host: BrowserHost
  let home: string

  test.beforeEach(async () => {
    data = await makeDataDir()
    home = join(data.folder, 'home')
    await mkdir(home)
    host = await startBrowserHost(data.path, { HOME: home })
  })

  test.afterEach(async ({ page }) => {
    await page.close()
    await host.stop()
    await data.dispose()
  })

  test('the home folder, a folder holding it and the data dir are refused, each with its reason', async ({ page, consoleGuard }) => {
    consoleGuard.allow(/cannot be a workspace/)
    await page.goto(host.url)
    for (const [folder, reason] of [
      [home, 'is your home folder'],
      [data.folder, 'contains your home folder'],
      [data.path, "Tether's data folder"]
    ] as const) {
      await mkdir(folder, { recursive: true })
      await openFolder(page, folder)
      const alert = page.getByRole('alert')
      await expect(alert).toContainText('this folder cannot be a workspace')
      await expect(alert).toContainText(reason)
      await alert.getByRole('button', { name: 'Dismiss' }).click()
    }
    await shot(page, 'workspace-refused')
  })

  test('a repository with a FIFO for its index opens at once and the app keeps answering', async ({ page }) => {
    const repo = join(data.folder, 'hostile')
    await mkdir(repo)
    execFileSync('git', ['init', '-q', repo])
    await writeFile(join(repo, 'README.md'), '# hostile\n')
    execFileSync('mkfifo', [join(repo, '.git', 'index')])
    await page.goto(host.url)
    const started = Date.now()
    await openFolder(page, repo)
    await expect(page.getByText('hostile').first()).toBeVisible({ timeout: 5_000 })
    expect(Date.now() - started).toBeLessThan(5_000)
    await page.getByRole('button', { name: /Settings/ }).first().click()
    await expect(page.getByRole('dialog')).toBeVisible({ timeout: 5_000 })
  })
})
