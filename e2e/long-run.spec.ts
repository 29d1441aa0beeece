/// <reference lib="dom" />
// A long finished run (1,500 turns, thousands of transcript entries) opens with only what is on
// screen in the page, terminals only for the calls in view, and scrolls to its end; a large log
// opens progressively with a progress bar, and a torn last record is reported.
import { appendFile, mkdir, writeFile } from 'node:fs/promises'
import { seededRandom } from '../src-main/test-support/prng'
import { DEFAULT_SHAPE, generateRun } from '../src-main/test-support/run-generator'
import { runStarted, stamp } from '../src-main/test-support/run-records'
import { encodeRecord } from '../src-main/node/store/record-codec'
import { DataDir } from '../src-main/node/store/data-dir'
import { makeDataDir, startBrowserHost, type BrowserHost } from './support/browser-host'
import { expect, shot, test } from './support/fixtures'

const RUN_ID = runStarted().runId
/** Bytes of the torn record left at the end of the log. */
const TORN = '{"v":1,"seq":999999,"ts":1,"type":"tool.out'

test.describe('a long run', () => {
  let data: Awaited<ReturnType<typeof makeDataDir>>
  let host: BrowserHost

  test.beforeAll(async () => {
    data = await makeDataDir()
    const dataDir = new DataDir(data.path)
    await mkdir(dataDir.runs, { recursive: true })
    const bodies = generateRun(seededRandom(19), { ...DEFAULT_SHAPE, turns: 1500, textChunks: [2, 6], dropRate: 0.02, toolOutputBytes: [0, 2048] })
    await writeFile(dataDir.runLog(RUN_ID), stamp(bodies).map(encodeRecord).join(''))
    await appendFile(dataDir.runLog(RUN_ID), TORN)
    host = await startBrowserHost(data.path)
  })

  test.afterAll(async () => {
    await host?.stop()
    await data?.dispose()
  })

  test('opens progressively, shows only what is on screen, and scrolls to its end', async ({ page }) => {
    test.setTimeout(120_000)
    await page.goto(host.url)
    // Whether a progress bar was ever in the page while the run opened.
    await page.evaluate(() => {
      const seen = { progress: false }
      ;(window as unknown as { seen: typeof seen }).seen = seen
      new MutationObserver(() => {
        if (document.querySelector('progress')) seen.progress = true
      }).observe(document.body, { childList: true, subtree: true })
    })
    await page.getByRole('list', { name: 'Runs' }).getByRole('button').first().click()
    const transcript = page.getByRole('list', { name: 'Transcript' })
    await expect(transcript.getByRole('listitem').first()).toBeVisible({ timeout: 60_000 })
    expect(await page.evaluate(() => (window as unknown as { seen: { progress: boolean } }).seen.progress)).toBe(true)
    await expect(page.getByRole('alert').filter({ hasText: "This run's log is damaged" })).toContainText(`its last record is incomplete (${TORN.length} B not shown)`)

    const rows = Number(await transcript.getByRole('listitem').first().getAttribute('aria-setsize'))
    expect(rows).toBeGreaterThan(3000)
    const inPage = async (): Promise<{ items: number; terminals: number; cards: number }> =>
      page.evaluate(() => ({
        items: document.querySelectorAll('ol.transcript > li').length,
        terminals: document.querySelectorAll('ol.transcript .xterm').length,
        cards: document.querySelectorAll('ol.transcript article[data-call-id]').length
      }))
    const top = await inPage()
    expect(top.items).toBeLessThan(80)
    expect(top.terminals).toBeLessThanOrEqual(top.cards)

    // To the end: the last entry is there, and the page still holds about a screen of rows.
    const scroller = page.locator('.run .scroll')
    for (let step = 0; step < 6; step++) {
      await scroller.evaluate((element) => (element.scrollTop = element.scrollHeight))
      await page.waitForTimeout(100)
    }
    await expect(transcript.locator(`li[aria-posinset="${rows}"]`)).toBeVisible()
    const bottom = await inPage()
    expect(bottom.items).toBeLessThan(80)
    expect(bottom.terminals).toBeLessThanOrEqual(bottom.cards)
    await shot(page, 'long-run-end')
  })
})
