/// <reference lib="dom" />
// Settings: a provider, its key and the run defaults. The key goes to the host and stays there:
// the page learns only that a key is set, and the host keeps it in a file only the user can read.
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { useFreshApp } from './support/app-setup'
import { expect, shot, test } from './support/fixtures'

const KEY = 'sk-e2e-secret-0123456789abcdef'

test.describe('settings', () => {
  const app = useFreshApp()

  test('a saved key is never sent back to the page; the run defaults persist', async ({ page }) => {
    const frames: string[] = []
    page.on('websocket', (socket) => socket.on('framereceived', (frame) => frames.push(String(frame.payload))))
    await page.goto(app.host.url)
    await page.keyboard.press('Control+,')
    const dialog = page.getByRole('dialog', { name: 'Settings' })
    await expect(dialog).toBeVisible()
    await dialog.getByRole('combobox').first().selectOption('custom')
    await dialog.getByPlaceholder('http://127.0.0.1:4010/v1').fill('http://127.0.0.1:4010/v1')
    await dialog.getByPlaceholder('Paste a key').fill(KEY)
    await dialog.getByRole('radio', { name: /Ask for every command/ }).check()
    await dialog.getByRole('textbox', { name: /Network allowlist/ }).fill('registry.npmjs.org\n*.github.com')
    await dialog.getByRole('textbox', { name: /Your MCP servers/ }).fill('{"mcpServers": {"notes": {"command": "node"}, "broken": {"args": []}}}')
    await shot(page, 'settings')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expect(dialog).toBeHidden()

    await page.reload()
    await page.keyboard.press('Control+,')
    await expect(dialog.getByText('Saved in a file only you can read.')).toBeVisible()
    await expect(dialog.getByRole('radio', { name: /Ask for every command/ })).toBeChecked()
    await expect(dialog.getByRole('textbox', { name: /Network allowlist/ })).toHaveValue('registry.npmjs.org\n*.github.com')
    await expect(dialog.getByRole('textbox', { name: /Your MCP servers/ })).toHaveValue('{"mcpServers": {"notes": {"command": "node"}, "broken": {"args": []}}}')
    await expect(dialog).toContainText('MCP server "broken"')
    expect(await page.content()).not.toContain(KEY)
    expect(frames.some((frame) => frame.includes(KEY))).toBe(false)

    const keyFile = join(app.data.path, 'keys.json')
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600)
    expect(JSON.parse(await readFile(keyFile, 'utf8'))).toEqual({ custom: KEY })
    expect(await readFile(join(app.data.path, 'settings.json'), 'utf8')).not.toContain(KEY)
  })

  test('the theme follows the system and can be switched', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.goto(app.host.url)
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
    await shot(page, 'welcome-dark')
    await page.getByRole('button', { name: /Theme:/ }).click()
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  })
})
