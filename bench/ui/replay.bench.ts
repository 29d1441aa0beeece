/// <reference lib="dom" />
// The Replay tab on huge logs, in Chromium through the browser-mode host
// (`npx playwright test -c bench/ui replay`; sizes from REPLAY_BASELINE_MB, default 100, and
// REPLAY_HUGE_MB, default 1024). For each generated log:
// - opening the run (the host reads and indexes the log once, with progress) until its transcript
//   is on screen, then the Replay tab until the state at the last record is drawn;
// - scrubbing: the slider set to SCRUBS positions spread over the run, each until the state at it
//   is drawn;
// - the page's JS heap after a GC, with the replay open and scrubbed.
// Reported with the ratio huge / baseline from the same run; results go to bench/ui/results/replay.json.
import { mkdirSync, writeFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { makeDataDir, startBrowserHost } from '../../e2e/support/browser-host'
import { DataDir } from '../../src-main/node/store/data-dir'
import { seededRandom } from '../../src-main/test-support/prng'
import { runStarted } from '../../src-main/test-support/run-records'
import { writeGeneratedLog } from '../long-run/generated-log'
import { RESULTS } from './results-dir'

const SIZES = [Number(process.env.REPLAY_BASELINE_MB ?? 100), Number(process.env.REPLAY_HUGE_MB ?? 1024)]
const SCRUBS = 12
const results: Record<string, unknown> = { when: new Date().toISOString(), cores: cpus().length, loadAverageAtStart: loadavg()[0] }

const round = (value: number): number => Math.round(value * 100) / 100

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0
}

async function heapAfterGc(page: Page): Promise<number> {
  const session = await page.context().newCDPSession(page)
  await session.send('HeapProfiler.collectGarbage')
  const { usedSize } = await session.send('Runtime.getHeapUsage')
  await session.detach()
  return usedSize
}

/** Sets the slider to `position` and waits until the state at it is drawn; the time in the page. */
async function scrubTo(page: Page, position: number): Promise<number> {
  return page.evaluate(async (target) => {
    const slider = document.querySelector<HTMLInputElement>('input[type=range]')!
    const state = document.querySelector<HTMLElement>('.replay .state')!
    const started = performance.now()
    const drawn = new Promise<void>((resolve) => {
      const done = (): boolean => state.dataset.position === String(target)
      const observer = new MutationObserver(() => {
        if (done()) {
          observer.disconnect()
          resolve()
        }
      })
      observer.observe(state, { attributes: true, attributeFilter: ['data-position'] })
    })
    slider.value = String(target)
    slider.dispatchEvent(new Event('input', { bubbles: true }))
    await drawn
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
    return performance.now() - started
  }, position)
}

async function measure(page: Page, megabytes: number): Promise<Record<string, unknown>> {
  const data = await makeDataDir()
  const dataDir = new DataDir(data.path)
  await mkdir(dataDir.runs, { recursive: true })
  const written = await writeGeneratedLog(dataDir.runLog(runStarted().runId), megabytes)
  const host = await startBrowserHost(data.path)
  try {
    await page.goto(host.url)
    await page.getByRole('list', { name: 'Runs' }).getByRole('button').first().waitFor()
    // The page's longest tasks while the run opens: a progressive load must not freeze it.
    await page.evaluate(() => {
      const tasks: number[] = []
      new PerformanceObserver((list) => tasks.push(...list.getEntries().map((entry) => entry.duration))).observe({ type: 'longtask' })
      ;(window as unknown as { openTasks: number[] }).openTasks = tasks
    })
    const openRunMs = await page.evaluate(async () => {
      const started = performance.now()
      const shown = new Promise<void>((resolve) => {
        const observer = new MutationObserver(() => {
          if (document.querySelector('ol.transcript > li')) {
            observer.disconnect()
            resolve()
          }
        })
        observer.observe(document.body, { childList: true, subtree: true })
      })
      document.querySelector<HTMLButtonElement>('ul[aria-label="Runs"] button.run')!.click()
      await shown
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
      return performance.now() - started
    })
    const openTasks = await page.evaluate(() => (window as unknown as { openTasks: number[] }).openTasks)
    const replayMs = await page.evaluate(async () => {
      const started = performance.now()
      const drawn = new Promise<void>((resolve) => {
        const observer = new MutationObserver(() => {
          const state = document.querySelector<HTMLElement>('.replay .state')
          if (state && state.dataset.position !== '-1' && state.querySelector('ol.transcript > li')) {
            observer.disconnect()
            resolve()
          }
        })
        observer.observe(document.body, { childList: true, subtree: true, attributes: true })
      })
      const tab = [...document.querySelectorAll<HTMLButtonElement>('button')].find((button) => button.textContent?.trim() === 'Replay')!
      tab.click()
      await drawn
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
      return performance.now() - started
    })
    const count = Number((await page.getByText(/^Event \d+ of \d+$/).textContent())?.match(/of (\d+)/)?.[1])
    expect(count).toBeGreaterThan(0)
    const random = seededRandom(megabytes)
    const scrubMs: number[] = []
    for (let step = 0; step < SCRUBS; step++) {
      // Spread over the run, visited back and forth.
      const slot = step % 2 === 0 ? step : SCRUBS - step
      scrubMs.push(await scrubTo(page, Math.min(count - 1, Math.floor(((slot + random.next()) / SCRUBS) * count))))
    }
    const heap = await heapAfterGc(page)
    return {
      megabytes: round(written.bytes / 1024 / 1024),
      records: count,
      openRunMs: round(openRunMs),
      longestTaskWhileOpeningMs: round(Math.max(0, ...openTasks)),
      tasksOver200MsWhileOpening: openTasks.filter((duration) => duration > 200).length,
      replayTabToFirstStateMs: round(replayMs),
      openToFirstReplayPaintMs: round(openRunMs + replayMs),
      scrubMs: { p50: round(percentile(scrubMs, 0.5)), p95: round(percentile(scrubMs, 0.95)), max: round(Math.max(...scrubMs)) },
      rendererHeapMb: round(heap / 1024 / 1024),
      loadAverage: round(loadavg()[0]!)
    }
  } finally {
    await host.stop()
    await data.dispose()
  }
}

test.afterAll(() => {
  mkdirSync(RESULTS, { recursive: true })
  writeFileSync(join(RESULTS, 'replay.json'), `${JSON.stringify({ ...results, loadAverageAtEnd: round(loadavg()[0]!) }, null, 2)}\n`)
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
})

test('open and scrub the replay of a baseline and a huge log', async ({ page }) => {
  test.setTimeout(1_800_000)
  const [baselineMb, hugeMb] = SIZES as [number, number]
  const baseline = await measure(page, baselineMb)
  results.baseline = baseline
  const huge = await measure(page, hugeMb)
  results.huge = huge
  const ratio = (pick: (result: Record<string, unknown>) => number): number => round(pick(huge) / Math.max(0.001, pick(baseline)))
  results.ratios = {
    size: ratio((result) => result.megabytes as number),
    openToFirstReplayPaint: ratio((result) => result.openToFirstReplayPaintMs as number),
    replayTabToFirstState: ratio((result) => result.replayTabToFirstStateMs as number),
    scrubP50: ratio((result) => (result.scrubMs as { p50: number }).p50),
    rendererHeap: ratio((result) => result.rendererHeapMb as number)
  }
})
