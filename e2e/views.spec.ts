/// <reference lib="dom" />
// Every main view in light and dark: axe finds no serious or critical violation (text contrast
// included), every control is reachable by Tab and shows where focus is, nothing scrolls sideways
// at 1024 px, and a screenshot of each view at 1024, 1440 and 1920 px is written to
// e2e/output/screenshots/views/ for a person to look at (artifacts, not golden images).
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { sampleWorkspace, useSimApp } from './support/app-setup'
import { seriousViolations } from './support/axe'
import { expect, SCREENSHOTS, test } from './support/fixtures'
import { tabThrough } from './support/keyboard'
import { horizontalOverflow } from './support/layout'

const WIDTHS = [1024, 1440, 1920] as const
const VIEWS_DIR = join(SCREENSHOTS, 'views')

const SCENARIO = {
  name: 'e2e-views',
  turns: [
    {
      output: [
        { type: 'reasoning', summary: 'Look at the build script before touching anything.' },
        {
          type: 'message',
          text: 'The build script writes a manifest:\n\n```js\nconst manifest = { name: pkg.name, version: pkg.version, files }\nfs.writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2))\n```\n\nI will rebuild it and note what changed.'
        },
        { type: 'function_call', name: 'shell', arguments: { command: 'rm -rf build && node scripts/build.js', timeout_ms: 60000 } },
        { type: 'function_call', name: 'write_file', arguments: { path: 'NOTES.md', content: '# Notes\n\nRebuilt build/ from 1.2.0.\n' } }
      ]
    },
    {
      output: [
        {
          type: 'message',
          text: 'Done.\n\n| File | Change |\n| --- | --- |\n| `build/` | rebuilt |\n| `NOTES.md` | added |\n\n- The manifest now says **1.2.0**.\n- `format.js` is gone.'
        }
      ]
    }
  ]
}

interface Findings {
  axe: string[]
  overflow: string[]
  focus: string[]
}

async function capture(page: Page, view: string, theme: string, findings: Findings): Promise<void> {
  mkdirSync(VIEWS_DIR, { recursive: true })
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 })
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
    await page.screenshot({ path: join(VIEWS_DIR, `${view}-${width}-${theme}.png`), animations: 'disabled', caret: 'hide' })
    if (width === 1024) findings.overflow.push(...(await horizontalOverflow(page)).map((found) => `${view}: ${found}`))
    if (width === 1440) {
      findings.axe.push(...(await seriousViolations(page)).map((violation) => `${view}: ${violation.id} (${violation.help}) at ${violation.targets.slice(0, 3).join(', ')}`))
    }
  }
}

async function checkKeyboard(page: Page, view: string, findings: Findings): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 })
  const stops = await tabThrough(page)
  if (stops.length === 0) findings.focus.push(`${view}: nothing takes focus`)
  findings.focus.push(...stops.filter((stop) => !stop.visible).map((stop) => `${view}: no visible focus on ${stop.name}`))
}

for (const theme of ['light', 'dark'] as const) {
  test.describe(`every main view, ${theme}`, () => {
    const app = useSimApp({ scenario: SCENARIO, tokenIntervalMs: 0, ttftMs: 10 })

    test(`axe clean, reachable by keyboard, no sideways scrolling, screenshots (${theme})`, async ({ page }) => {
      test.setTimeout(240_000)
      const findings: Findings = { axe: [], overflow: [], focus: [] }
      await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' })
      await page.goto(app.host.url)
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
      await expect(page.getByRole('heading', { name: /Work on a repository/ })).toBeVisible()
      await capture(page, 'welcome', theme, findings)
      await checkKeyboard(page, 'welcome', findings)

      await page.getByRole('textbox', { name: 'Repository path' }).first().fill(await sampleWorkspace(app.data.folder))
      await page.getByRole('button', { name: 'Open', exact: true }).click()
      await expect(page.getByRole('textbox', { name: /Describe a task/ })).toBeVisible()
      await capture(page, 'new-run', theme, findings)
      await checkKeyboard(page, 'new-run', findings)

      await page.keyboard.press('Control+,')
      await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible()
      await capture(page, 'settings', theme, findings)
      await checkKeyboard(page, 'settings', findings)
      await page.keyboard.press('Escape')
      await expect(page.getByRole('dialog', { name: 'Settings' })).toBeHidden()

      await page.getByRole('heading', { level: 1 }).click()
      await page.keyboard.press('?')
      await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible()
      await capture(page, 'shortcuts', theme, findings)
      await page.keyboard.press('Escape')

      const composer = page.getByRole('textbox', { name: /Describe a task/ })
      await composer.fill('The build output looks stale. Rebuild it and write down what changed.')
      await composer.press('Enter')
      const dialog = page.getByRole('alertdialog')
      await expect(dialog).toBeVisible({ timeout: 30_000 })
      await capture(page, 'approval', theme, findings)
      await checkKeyboard(page, 'approval', findings)
      const phase = page.getByRole('status', { name: 'Run status' })
      while ((await phase.textContent()) !== 'Completed') {
        if (await dialog.isVisible()) await dialog.getByRole('button', { name: /Allow once/ }).click()
        await page.waitForTimeout(100)
      }
      await expect(page.getByRole('list', { name: 'Transcript' })).toContainText('format.js')
      await capture(page, 'transcript', theme, findings)
      await checkKeyboard(page, 'transcript', findings)

      for (const [key, view] of [['2', 'changes'], ['3', 'metrics'], ['4', 'replay']] as const) {
        await page.keyboard.press(`Alt+${key}`)
        await expect(page.getByRole('button', { name: view[0]!.toUpperCase() + view.slice(1), exact: true })).toHaveAttribute('aria-current', 'page')
        await page.waitForTimeout(300)
        await capture(page, view, theme, findings)
        await checkKeyboard(page, view, findings)
      }

      await page.getByRole('searchbox', { name: 'Search runs' }).fill('stale')
      await expect(page.getByRole('list', { name: 'Search results' }).getByRole('listitem')).toHaveCount(1)
      await capture(page, 'search', theme, findings)

      expect(findings).toEqual({ axe: [], overflow: [], focus: [] })
    })
  })
}
