/// <reference lib="dom" />
// The Replay tab of a long log (tens of thousands of records, a damaged line, a torn tail): it
// opens with a progress bar, its scrubber spans every record, its record list holds only what is
// on screen, and scrubbing anywhere shows the state there (its latest transcript entries).
import { appendFile, mkdir, writeFile } from 'node:fs/promises'
import type { RunRecord } from '../src-main/common/run/records'
import { foldRecords } from '../src-main/common/run/reduce'
import { REPLAY_WINDOW_ENTRIES } from '../src-main/common/run/replay-window'
import { seededRandom } from '../src-main/test-support/prng'
import { DEFAULT_SHAPE, generateRun } from '../src-main/test-support/run-generator'
import { runStarted, stamp } from '../src-main/test-support/run-records'
import { encodeRecord } from '../src-main/node/store/record-codec'
import { DataDir } from '../src-main/node/store/data-dir'
import { makeDataDir, startBrowserHost, type BrowserHost } from './support/browser-host'
import { expect, shot, test } from './support/fixtures'

const RUN_ID = runStarted().runId
const TORN = '{"v":1,"seq":999999,"ts":1,"type":"tool.out'
/** The record whose line is damaged: the replay leaves it out and says so. */
const DAMAGED = 20_000

test.describe('replaying a long log', () => {
  let data: Awaited<ReturnType<typeof makeDataDir>>
  let host: BrowserHost
  /** The records the replay shows: all but the damaged one. */
  let kept: RunRecord[]

  test.beforeAll(async () => {
    data = await makeDataDir()
    const dataDir = new DataDir(data.path)
    await mkdir(dataDir.runs, { recursive: true })
    const records = stamp(generateRun(seededRandom(19), { ...DEFAULT_SHAPE, turns: 1500, textChunks: [2, 6], dropRate: 0.02, toolOutputBytes: [0, 2048] }))
    const lines = records.map(encodeRecord)
    lines[DAMAGED] = lines[DAMAGED]!.replace(`"seq":${DAMAGED}`, `"seq":${DAMAGED} `)
    await writeFile(dataDir.runLog(RUN_ID), lines.join(''))
    await appendFile(dataDir.runLog(RUN_ID), TORN)
    kept = records.filter((record) => record.seq !== DAMAGED)
    host = await startBrowserHost(data.path)
  })

  test.afterAll(async () => {
    await host?.stop()
    await data?.dispose()
  })

  test('opens progressively, lists only the rows on screen, and scrubs to any record', async ({ page }) => {
    test.setTimeout(120_000)
    expect(kept.length).toBeGreaterThan(40_000)
    await page.goto(host.url)
    await page.evaluate(() => {
      const seen = { progress: false }
      ;(window as unknown as { seen: typeof seen }).seen = seen
      new MutationObserver(() => {
        if (document.querySelector('progress')) seen.progress = true
      }).observe(document.body, { childList: true, subtree: true })
    })
    await page.getByRole('list', { name: 'Runs' }).getByRole('button').first().click()
    const live = page.getByRole('list', { name: 'Transcript' })
    await expect(live.getByRole('listitem').first()).toBeVisible({ timeout: 60_000 })
    const liveRows = Number(await live.getByRole('listitem').first().getAttribute('aria-setsize'))

    await page.getByRole('button', { name: 'Replay' }).click()
    const replay = page.getByRole('region', { name: 'Replay' })
    await expect(replay.getByText(`Event ${kept.length} of ${kept.length}`)).toBeVisible({ timeout: 60_000 })
    expect(await page.evaluate(() => (window as unknown as { seen: { progress: boolean } }).seen.progress)).toBe(true)
    await expect(replay.getByText(`line ${DAMAGED + 1}: checksum mismatch`, { exact: false })).toBeVisible()
    await expect(replay.getByText(`line ${DAMAGED + 2}: seq ${DAMAGED + 1} after ${DAMAGED - 1}: missing records before this one`)).toBeVisible()
    await expect(replay.getByText(`the last ${TORN.length} bytes are an unfinished line`)).toBeVisible()

    const events = replay.getByRole('list', { name: 'Events' })
    const transcript = replay.getByRole('list', { name: 'Transcript' })
    const state = replay.locator('.state')
    /** What the replay says it leaves out at a position: the entries before its window. */
    const leftOutAt = (position: number): string => {
      const entries = foldRecords(kept.slice(0, position + 1)).timeline.length
      return `${(entries - REPLAY_WINDOW_ENTRIES).toLocaleString('en')} earlier transcript entries are not shown here`
    }
    // At the end: the last record, the run's end, and the last entries of the transcript.
    await expect(page.getByTestId('replay-record')).toContainText(`#${kept.at(-1)!.seq}`)
    await expect(state).toHaveAttribute('data-position', String(kept.length - 1))
    await expect(state).toContainText(leftOutAt(kept.length - 1))
    await expect(replay.getByText(/^Run completed/)).toBeVisible()
    const endRows = Number(await transcript.getByRole('listitem').first().getAttribute('aria-setsize'))
    expect(endRows).toBeGreaterThan(0)
    expect(endRows).toBeLessThanOrEqual(REPLAY_WINDOW_ENTRIES)
    expect(endRows).toBeLessThan(liveRows)
    await expect(events.getByRole('listitem').first()).toHaveAttribute('aria-setsize', String(kept.length))
    expect(await events.getByRole('listitem').count()).toBeLessThan(60)

    // Past the damaged line: positions count the records kept.
    const slider = page.getByRole('slider', { name: /Timeline/ })
    const middle = 30_000
    await slider.fill(String(middle))
    await expect(page.getByTestId('replay-record')).toContainText(`#${kept[middle]!.seq}`)
    await expect(state).toHaveAttribute('data-position', String(middle), { timeout: 30_000 })
    await expect(events.locator('[aria-current="step"]')).toContainText(`#${kept[middle]!.seq}`)
    expect(await events.getByRole('listitem').count()).toBeLessThan(60)
    await expect(state).toContainText(leftOutAt(middle))
    expect(Number(await transcript.getByRole('listitem').first().getAttribute('aria-setsize'))).toBeLessThanOrEqual(REPLAY_WINDOW_ENTRIES)
    await expect(replay.getByText(/^Run completed/)).toHaveCount(0)
    await shot(page, 'replay-large-middle')

    // A row of the list moves the scrubber there; the keys step from it.
    await events.getByRole('button').filter({ hasText: `#${kept[middle + 2]!.seq} ` }).click()
    await expect(page.getByText(`Event ${middle + 3} of ${kept.length}`)).toBeVisible()
    await page.keyboard.press('ArrowLeft')
    await expect(state).toHaveAttribute('data-position', String(middle + 1), { timeout: 30_000 })

    // Before the damaged line, and back to both ends.
    await slider.fill(String(DAMAGED - 1))
    await expect(events.locator('[aria-current="step"]')).toContainText(`#${DAMAGED - 1}`)
    await expect(state).toHaveAttribute('data-position', String(DAMAGED - 1), { timeout: 30_000 })
    await page.keyboard.press('Home')
    await expect(page.getByTestId('replay-record')).toHaveText('Before the first event')
    await expect(transcript.getByRole('listitem')).toHaveCount(0)
    await page.keyboard.press('End')
    await expect(state).toHaveAttribute('data-position', String(kept.length - 1), { timeout: 30_000 })
    await expect(transcript.getByRole('listitem').first()).toHaveAttribute('aria-setsize', String(endRows))
  })
})
