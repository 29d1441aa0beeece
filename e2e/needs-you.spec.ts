/// <reference lib="dom" />
// "Needs you": a run that waits for an approval or finishes while the person looks elsewhere is
// marked in the runs list, counted in the window title, and announced by a desktop notification
// (here the web Notification API, allowed in Settings); clicking it opens the run's approval.
import type { Page } from '@playwright/test'
import { sampleWorkspace, useSimApp, type SimApp } from './support/app-setup'
import { expect, shot, test } from './support/fixtures'

// The sleeps give the person time to look away before the run asks and before it finishes.
const SCENARIO = {
  name: 'e2e-needs-you',
  turns: [
    { output: [{ type: 'message', text: 'Waiting a moment.' }, { type: 'function_call', name: 'shell', arguments: { command: 'sleep 2', timeout_ms: null } }] },
    { output: [{ type: 'message', text: 'Cleaning up.' }, { type: 'function_call', name: 'shell', arguments: { command: 'rm -rf build', timeout_ms: null } }] },
    { output: [{ type: 'function_call', name: 'shell', arguments: { command: 'sleep 2', timeout_ms: null } }] },
    { output: [{ type: 'message', text: 'Removed the build directory.' }] }
  ]
}

/** Records every Notification the page constructs, with its title and options. */
async function recordNotifications(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: { title: string; body: string; instance: Notification }[] = []
    ;(window as unknown as { __notifications: typeof seen }).__notifications = seen
    const Original = window.Notification
    class Recorded extends Original {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options)
        seen.push({ title, body: options?.body ?? '', instance: this })
      }
    }
    Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true, writable: true })
  })
}

function notificationsShown(page: Page): Promise<{ title: string; body: string }[]> {
  return page.evaluate(() => (window as unknown as { __notifications: { title: string; body: string }[] }).__notifications.map(({ title, body }) => ({ title, body })))
}

async function openSampleAndAllowNotifications(page: Page, app: SimApp): Promise<void> {
  await page.context().grantPermissions(['notifications'], { origin: app.host.origin })
  await recordNotifications(page)
  await page.goto(app.host.url)
  await page.keyboard.press('Control+,')
  const settings = page.getByRole('dialog', { name: 'Settings' })
  await settings.getByRole('checkbox', { name: /Notify me when a run needs me/ }).check()
  await expect(settings.getByRole('status')).toHaveText('This browser shows them.')
  await settings.getByRole('button', { name: 'Cancel' }).click()
  await page.getByRole('textbox', { name: 'Repository path' }).first().fill(await sampleWorkspace(app.data.folder))
  await page.getByRole('button', { name: 'Open', exact: true }).click()
}

async function startAndLookAway(page: Page, task: string): Promise<void> {
  const composer = page.getByRole('textbox', { name: /Describe a task/ })
  await composer.fill(task)
  await composer.press('Enter')
  await expect(page.getByRole('heading', { name: task })).toBeVisible()
  await page.getByRole('button', { name: 'New run' }).click()
}

test.describe('needs you', () => {
  const app = useSimApp({ scenario: SCENARIO, tokenIntervalMs: 0, ttftMs: 10 })

  test('an approval asked while the person is elsewhere: list mark, title count, notification that opens it', async ({ page }) => {
    test.setTimeout(60_000)
    await openSampleAndAllowNotifications(page, app)
    await expect(page).toHaveTitle('Tether')
    await startAndLookAway(page, 'Clean the build directory.')

    const listed = page.getByRole('list', { name: 'Runs' }).getByRole('button', { name: /Clean the build directory/ })
    await expect(listed).toContainText('Needs you: approval', { timeout: 30_000 })
    await expect(page).toHaveTitle('(1) Tether')
    await expect.poll(() => notificationsShown(page)).toEqual([{ title: 'A run needs your approval', body: 'Clean the build directory.' }])
    await shot(page, 'needs-you-approval')

    await page.evaluate(() => (window as unknown as { __notifications: { instance: Notification }[] }).__notifications[0]!.instance.dispatchEvent(new Event('click')))
    const dialog = page.getByRole('alertdialog', { name: 'Run this command?' })
    await expect(dialog).toBeVisible()
    await expect(dialog).toContainText('rm -rf build')
    await expect(page).toHaveTitle('Tether')
    await expect(listed).not.toContainText('Needs you')
    await dialog.getByRole('button', { name: /Allow once/ }).click()
    await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Completed', { timeout: 30_000 })
    await expect(page).toHaveTitle('Tether')
    expect(await notificationsShown(page)).toHaveLength(1)
  })

  test('an approval asked while the person is in another tab or window is counted and announced; coming back shows it', async ({ page }) => {
    test.setTimeout(60_000)
    await openSampleAndAllowNotifications(page, app)
    const composer = page.getByRole('textbox', { name: /Describe a task/ })
    await composer.fill('Clean the build directory.')
    await composer.press('Enter')
    await expect(page.getByRole('heading', { name: 'Clean the build directory.' })).toBeVisible()
    // Playwright keeps every page focused unless told otherwise: let focus follow the front tab.
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false })
    const otherTab = await page.context().newPage()
    await otherTab.bringToFront()
    await expect.poll(() => page.evaluate(() => document.hasFocus())).toBe(false)

    await expect(page).toHaveTitle('(1) Tether', { timeout: 30_000 })
    await expect.poll(() => notificationsShown(page)).toEqual([{ title: 'A run needs your approval', body: 'Clean the build directory.' }])
    await page.bringToFront()
    await otherTab.close()
    await expect(page.getByRole('alertdialog', { name: 'Run this command?' })).toBeVisible()
    await expect(page).toHaveTitle('Tether')
  })

  test('a run that finishes while the person is elsewhere is marked until they open it', async ({ page }) => {
    test.setTimeout(60_000)
    await openSampleAndAllowNotifications(page, app)
    await startAndLookAway(page, 'Clean the build directory.')
    const listed = page.getByRole('list', { name: 'Runs' }).getByRole('button', { name: /Clean the build directory/ })
    await expect(listed).toContainText('Needs you: approval', { timeout: 30_000 })
    await listed.click()
    await page.getByRole('alertdialog').getByRole('button', { name: /For this run/ }).click()
    await page.getByRole('button', { name: 'New run' }).click()

    await expect(listed).toContainText('Needs you: finished', { timeout: 30_000 })
    await expect(page).toHaveTitle('(1) Tether')
    await expect.poll(() => notificationsShown(page)).toEqual([
      { title: 'A run needs your approval', body: 'Clean the build directory.' },
      { title: 'A run finished', body: 'Clean the build directory.' }
    ])
    await listed.click()
    await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Completed')
    await expect(page).toHaveTitle('Tether')
    await expect(listed).not.toContainText('Needs you')
  })
})
