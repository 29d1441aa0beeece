/// <reference lib="dom" />
// Everyday comforts: copy buttons on messages and code blocks, highlighted code, `@` to mention a
// workspace file (fuzzy, .gitignore respected), a model per run, search in run history, and the
// keyboard shortcuts listed in a help overlay.
import { sampleWorkspace, useSimApp } from './support/app-setup'
import { expect, test } from './support/fixtures'

const ANSWER = 'Here is the helper:\n\n```js\nexport function total(items) {\n  return items.reduce((sum, item) => sum + item.price, 0)\n}\n```\n\nIt sums the prices.'
const SCENARIO = { name: 'e2e-comforts', turns: [{ output: [{ type: 'message', text: ANSWER }] }, { output: [{ type: 'message', text: 'Nothing more.' }] }] }

test.describe('comforts', () => {
  const app = useSimApp({ scenario: SCENARIO, tokenIntervalMs: 0, ttftMs: 10 })

  test('mention a file with @, pick this run’s model, copy a code block and a message, find the run again', async ({ page }) => {
    test.setTimeout(90_000)
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.host.origin })
    await page.goto(app.host.url)
    await page.getByRole('textbox', { name: 'Repository path' }).first().fill(await sampleWorkspace(app.data.folder))
    await page.getByRole('button', { name: 'Open', exact: true }).click()

    const task = page.getByRole('textbox', { name: /Describe a task/ })
    await task.fill('Explain ')
    await task.press('End')
    await task.pressSequentially('@mony')
    const files = page.getByRole('listbox', { name: 'Files to mention' })
    await expect(files.getByRole('option').first()).toHaveText('src/money.js')
    await expect(files.getByRole('option')).toHaveText(['src/money.js', 'test/money.test.js'])
    await task.press('Enter')
    await expect(task).toHaveValue('Explain @src/money.js ')
    // build/ is in .gitignore: its files are not offered.
    await task.pressSequentially('@build/m')
    await expect(files.getByRole('option')).not.toContainText(['build/manifest.json'])
    await task.press('Escape')
    await expect(files).toBeHidden()
    await task.fill('Explain @src/money.js and write a total helper.')

    await page.getByRole('combobox', { name: 'Model for this run' }).fill('sim-model-large')
    await task.press('Enter')
    await expect(page.getByRole('heading', { name: 'Explain @src/money.js and write a total helper.' })).toBeVisible()
    await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Completed', { timeout: 30_000 })
    await expect(page.getByRole('main').getByText('sim-model-large', { exact: true })).toBeVisible()

    const code = page.getByRole('region', { name: 'Code (js)' })
    await expect(code.locator('.hljs-keyword').first()).toHaveText('export')
    await page.getByRole('button', { name: 'Copy code' }).click()
    await expect(page.getByRole('button', { name: 'Copy code' })).toHaveText('Copied')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('export function total(items) {\n  return items.reduce((sum, item) => sum + item.price, 0)\n}')
    await page.getByRole('listitem').filter({ hasText: 'It sums the prices.' }).getByRole('button', { name: 'Copy message' }).click()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(ANSWER)

    await page.getByRole('button', { name: 'New run' }).click()
    const search = page.getByRole('searchbox', { name: 'Search runs' })
    await search.fill('SUMS THE PRICES')
    const results = page.getByRole('list', { name: 'Search results' })
    await expect(results.getByRole('listitem')).toHaveCount(1)
    await expect(results).toContainText(/Answer: .*It sums the prices\./)
    await results.getByRole('button', { name: /Explain @src\/money.js/ }).click()
    await expect(page.getByRole('heading', { name: 'Explain @src/money.js and write a total helper.' })).toBeVisible()
    await search.fill('nothing like this')
    await expect(page.getByRole('status').filter({ hasText: 'No run mentions' })).toBeVisible()
  })

  test('the keyboard shortcuts are listed in a help overlay, from ? and from a button', async ({ page }) => {
    await page.goto(app.host.url)
    await page.getByRole('heading', { level: 1 }).click()
    await page.keyboard.press('?')
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await expect(help).toBeVisible()
    await expect(help).toContainText('Mention a workspace file')
    await expect(help).toContainText('Search runs')
    await page.keyboard.press('Escape')
    await expect(help).toBeHidden()
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click()
    await expect(help).toBeVisible()
  })
})
