/// <reference lib="dom" />
// The app with a repository that brings AGENTS.md and a .mcp.json: the person is asked about the
// servers before anything starts, the run's header says which instruction files and servers are
// in effect and shows the Context meter, and an MCP call goes through the approval dialog into
// the sandboxed server and back.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { configureCustomProvider, PROVIDER_ENV, sampleWorkspace } from './support/app-setup'
import { makeDataDir, startBrowserHost, type BrowserHost } from './support/browser-host'
import { expect, shot, test } from './support/fixtures'
import { bundleForNode } from '../src-main/test-support/node-bundle'
import { startSimProcess, type SimProcess } from './support/sim-process'

// The repository brings its server bundled into one file, as a repository would: the sandbox
// shows a repository's server the workspace, not this project's node_modules (nor the project
// itself when it is checked out under /tmp or the home).
const SERVER_FILE = 'tools/workspace-mcp-server.mjs'

const SCENARIO = {
  name: 'e2e-mcp',
  turns: [
    { output: [{ type: 'function_call', name: 'mcp__notes__read_note', arguments: { path: 'README.md' } }] },
    { output: [{ type: 'function_call', name: 'mcp__notes__write_note', arguments: { path: 'NOTES.md', text: 'read the readme' } }] },
    { output: [{ type: 'message', text: 'Noted the readme in NOTES.md.' }] }
  ]
}

test.describe('MCP servers, project instructions and the Context meter', () => {
  let data: Awaited<ReturnType<typeof makeDataDir>>
  let sim: SimProcess
  let host: BrowserHost
  let workspace: string

  test.beforeEach(async () => {
    data = await makeDataDir()
    sim = await startSimProcess({ scenario: SCENARIO, folder: data.folder, tokenIntervalMs: 1, ttftMs: 20 })
    await configureCustomProvider(data.path, sim.baseUrl)
    workspace = await sampleWorkspace(data.folder)
    await writeFile(join(workspace, 'AGENTS.md'), '# Conventions\nKeep notes in NOTES.md.\n')
    await bundleForNode('src-main/test-support/mcp/workspace-mcp-server.mjs', join(workspace, 'tools'))
    await writeFile(join(workspace, '.mcp.json'), JSON.stringify({ mcpServers: { notes: { command: process.execPath, args: [SERVER_FILE] } } }))
    host = await startBrowserHost(data.path, PROVIDER_ENV)
  })

  test.afterEach(async ({ page }) => {
    await page.close()
    await host.stop()
    await sim.stop()
    await data.dispose()
  })

  test('asks before the repository\'s servers start, then runs an MCP call through approval and shows the meter', async ({ page }) => {
    test.setTimeout(90_000)
    await page.goto(host.url)
    await page.getByRole('button', { name: 'Open folder…' }).first().click()
    await page.getByRole('textbox', { name: 'Repository path' }).first().fill(workspace)
    await page.getByRole('textbox', { name: 'Repository path' }).first().press('Enter')

    const prompt = page.getByRole('region', { name: 'This repository wants to start MCP servers' })
    await expect(prompt).toBeVisible()
    await expect(prompt).toContainText(`notes: "${process.execPath}" "${SERVER_FILE}"`)
    await shot(page, 'project-mcp-prompt')
    await prompt.getByRole('button', { name: 'Allow these servers' }).click()
    await expect(prompt).toBeHidden()

    const composer = page.getByRole('textbox', { name: /Describe a task/ })
    await composer.fill('Note what the readme says.')
    await composer.press('Enter')

    const dialog = page.getByRole('alertdialog')
    await expect(dialog).toBeVisible({ timeout: 30_000 })
    await expect(dialog).toContainText('mcp__notes__write_note')
    await expect(dialog).toContainText('notes › write_note {"path":"NOTES.md","text":"read the readme"}')
    await expect(dialog).toContainText('calls the tool "write_note" of the MCP server "notes", which runs inside the OS sandbox')
    await page.waitForTimeout(500)
    await dialog.getByRole('button', { name: /Allow once/ }).click()
    await expect(page.getByTestId('run-phase')).toHaveText('Completed', { timeout: 60_000 })

    const meter = page.getByRole('group', { name: 'Context' })
    await expect(meter).toBeVisible()
    await expect(meter).toContainText(/Context\s*[\d.]+k? \/ \?/)
    await page.getByRole('group', { name: 'Context' }).hover()
    const sources = page.getByTestId('run-sources')
    await expect(sources).toContainText('AGENTS.md ×1 · MCP: notes')
    await sources.locator('summary').click()
    await expect(sources).toContainText(join(workspace, 'AGENTS.md'))
    await expect(sources).toContainText('notes (the repository’s, in the sandbox): 7 tools')
    await shot(page, 'context-meter-and-sources')
    expect(await readFile(join(workspace, 'NOTES.md'), 'utf8')).toBe('read the readme')
  })
})
