/// <reference lib="dom" />
// Review and undo in the app: a shell command changes a file in two places and adds another; the
// Changes view shows each file as a region with its hunks, and "Revert hunk", "Revert file" and
// "Rewind to before this call" change the files on disk.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sampleWorkspace, useSimApp } from './support/app-setup'
import { expect, shot, test } from './support/fixtures'

const COMMAND = `sed -i '2s/.*/CHANGED TWO/; 26s/.*/CHANGED END/' README.md && printf 'draft\\n' > notes.txt`

const SCENARIO = {
  name: 'e2e-review',
  turns: [
    { output: [{ type: 'function_call', name: 'shell', arguments: { command: COMMAND, timeout_ms: null } }] },
    { output: [{ type: 'message', text: 'Edited the README and left notes.' }] }
  ]
}

test.describe('review and undo', () => {
  const app = useSimApp({ scenario: SCENARIO, tokenIntervalMs: 1, ttftMs: 10, approvalMode: 'auto-in-sandbox' })

  test('reverts one hunk, a whole file, and rewinds a call, on disk', async ({ page }) => {
    test.setTimeout(90_000)
    const workspace = await sampleWorkspace(app.data.folder)
    const readme = join(workspace, 'README.md')
    const original = readFileSync(readme, 'utf8')
    await page.goto(app.host.url)
    await page.getByRole('textbox', { name: 'Repository path' }).first().fill(workspace)
    await page.getByRole('button', { name: 'Open', exact: true }).click()
    const composer = page.getByRole('textbox', { name: /Describe a task/ })
    await composer.fill('Tidy the README.')
    await composer.press('Enter')
    await expect(page.getByTestId('run-phase')).toHaveText('Completed', { timeout: 30_000 })
    await expect(page.getByText('Changed 2 paths')).toBeVisible()

    await page.getByRole('button', { name: 'Changes' }).click()
    await expect(page.getByRole('navigation', { name: 'Changed files' })).toContainText('2 files changed')
    const file = page.getByRole('region', { name: 'README.md' })
    const hunks = file.getByRole('button', { name: /^Revert hunk/ })
    await expect(hunks).toHaveCount(2)
    // Lazily loaded highlight.js colours the Markdown heading in the first hunk's context.
    await expect(file.locator('.hljs-section').first()).toHaveText('# tally')
    await shot(page, 'changes-per-hunk')

    await file.getByRole('button', { name: 'Revert hunk 2 of 2 in README.md' }).click()
    await expect(hunks).toHaveCount(1)
    const secondLineChanged = original.split('\n').map((line, index) => (index === 1 ? 'CHANGED TWO' : line)).join('\n')
    expect(readFileSync(readme, 'utf8')).toBe(secondLineChanged)

    await page.getByRole('button', { name: 'Side by side' }).click()
    await expect(page.getByRole('button', { name: 'Side by side' })).toHaveAttribute('aria-pressed', 'true')
    await expect(file.locator('.pair .code.del')).toHaveCount(1)
    await expect(file.locator('.pair .code.add')).toHaveText(['CHANGED TWO'])

    await page.getByRole('region', { name: 'notes.txt' }).getByRole('button', { name: 'Revert file' }).click()
    await expect(page.getByRole('region', { name: 'notes.txt' })).toHaveCount(0)
    expect(existsSync(join(workspace, 'notes.txt'))).toBe(false)

    await page.getByRole('button', { name: 'Transcript' }).click()
    await page.getByRole('button', { name: 'Rewind to before this call' }).click()
    const dialog = page.getByRole('dialog', { name: 'Rewind to before this call?' })
    await expect(dialog.getByRole('list', { name: 'Files the rewind changes' })).toHaveText(/README\.md\s+restored/)
    // Like every dialog of the app, it keeps keyboard focus inside while it is open.
    for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page.keyboard.press(key)
      expect(await dialog.evaluate((element) => element.contains(document.activeElement)), `focus after ${key}`).toBe(true)
    }
    await dialog.getByRole('button', { name: 'Rewind', exact: true }).click()
    await expect(dialog).toHaveCount(0)
    await expect(page.getByText('Rewound: 1 path put back.')).toBeVisible()
    expect(readFileSync(readme, 'utf8')).toBe(original)
  })

  test('a run in a new worktree leaves the working tree alone until its changes are applied', async ({ page }) => {
    test.setTimeout(90_000)
    const workspace = await sampleWorkspace(app.data.folder)
    const readme = join(workspace, 'README.md')
    const original = readFileSync(readme, 'utf8')
    await page.goto(app.host.url)
    await page.getByRole('textbox', { name: 'Repository path' }).first().fill(workspace)
    await page.getByRole('button', { name: 'Open', exact: true }).click()
    await page.getByRole('checkbox', { name: /Run in a new worktree/ }).check()
    const composer = page.getByRole('textbox', { name: /Describe a task/ })
    await composer.fill('Tidy the README.')
    await composer.press('Enter')
    await expect(page.getByTestId('run-phase')).toHaveText('Completed', { timeout: 30_000 })
    expect({ readme: readFileSync(readme, 'utf8'), notes: existsSync(join(workspace, 'notes.txt')) }).toEqual({ readme: original, notes: false })

    await page.getByRole('button', { name: 'Changes' }).click()
    await expect(page.getByText(/own worktree on branch tether\/run_/)).toBeVisible()
    await expect(page.getByRole('region', { name: 'README.md' })).toBeVisible()
    await page.getByRole('button', { name: 'Apply to working tree' }).click()
    await expect(page.getByRole('region', { name: 'Changes' }).getByRole('status')).toHaveText(/Applied 2 paths to .* as uncommitted changes\./)
    expect(readFileSync(readme, 'utf8')).toContain('CHANGED END')
    expect(readFileSync(join(workspace, 'notes.txt'), 'utf8')).toBe('draft\n')
  })
})
