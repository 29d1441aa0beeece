/// <reference lib="dom" />
// Long runs in Chromium, through the browser-mode host (run with `npx playwright test -c bench/ui long-run`):
// 1. Opening a finished run of OPEN_TURNS turns (default 1,500; a generated log): time from the
//    click to its transcript on screen, then scrolling it top to bottom a screen per frame:
//    the page's main-thread CPU per frame (p95) and its longest task.
// 2. A live run of STREAM_TURNS turns (default 600) streaming text and calls: the page's CPU per
//    frame over the first and the last 10% of its turns, which a cost per item that grows with
//    the run would pull apart.
// Results go to bench/ui/results/long-run.json.
import { mkdirSync, writeFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Browser, type Page } from '@playwright/test'
import { configureCustomProvider, PROVIDER_ENV, sampleWorkspace } from '../../e2e/support/app-setup'
import { makeDataDir, startBrowserHost } from '../../e2e/support/browser-host'
import { startSimProcess } from '../../e2e/support/sim-process'
import { encodeRecord } from '../../src-main/node/store/record-codec'
import { DataDir } from '../../src-main/node/store/data-dir'
import { seededRandom } from '../../src-main/test-support/prng'
import { DEFAULT_SHAPE, generateRun } from '../../src-main/test-support/run-generator'
import { runStarted, stamp } from '../../src-main/test-support/run-records'
import { busyPerFrame, percentiles, rendererMainThread, type TraceEvent } from './frame-stats'
import { RESULTS } from './results-dir'

const OPEN_TURNS = Number(process.env.OPEN_TURNS ?? 1500)
const STREAM_TURNS = Number(process.env.STREAM_TURNS ?? 600)
const results: Record<string, unknown> = { when: new Date().toISOString(), cores: cpus().length }

const round = (value: number): number => Math.round(value * 100) / 100
const roundAll = <T extends object>(values: T): T => Object.fromEntries(Object.entries(values).map(([key, value]) => [key, round(value as number)])) as T

async function trace(browser: Browser, page: Page): Promise<void> {
  await browser.startTracing(page, { categories: ['devtools.timeline', 'toplevel', 'blink.user_timing'] })
}

async function stopTrace(browser: Browser): Promise<TraceEvent[]> {
  const parsed = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] } | TraceEvent[]
  return Array.isArray(parsed) ? parsed : parsed.traceEvents
}

function markAt(events: TraceEvent[], name: string): number {
  return (events.find((event) => event.name === name && event.ph !== 'M')?.ts ?? 0) / 1000
}

/** The longest task of the thread between two marks: its wall time, and its own CPU time (on a busy machine the OS may not run it for much of the wall time). */
function longestTask(events: TraceEvent[], thread: { pid: number; tid: number }, from: number, to: number): { wallMs: number; cpuMs: number } {
  const tasks = events.filter((event) => event.pid === thread.pid && event.tid === thread.tid && event.ph === 'X' && event.ts / 1000 >= from && event.ts / 1000 <= to)
  return {
    wallMs: round(Math.max(0, ...tasks.map((event) => (event.dur ?? 0) / 1000))),
    cpuMs: round(Math.max(0, ...tasks.map((event) => (event.tdur ?? event.dur ?? 0) / 1000)))
  }
}

test.afterAll(() => {
  mkdirSync(RESULTS, { recursive: true })
  writeFileSync(join(RESULTS, 'long-run.json'), `${JSON.stringify({ ...results, loadAverageAtEnd: round(loadavg()[0]!) }, null, 2)}\n`)
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
})

test(`open and scroll a finished ${OPEN_TURNS}-turn run`, async ({ page, browser }) => {
  test.setTimeout(300_000)
  const data = await makeDataDir()
  const dataDir = new DataDir(data.path)
  await mkdir(dataDir.runs, { recursive: true })
  const bodies = generateRun(seededRandom(1500), { ...DEFAULT_SHAPE, turns: OPEN_TURNS, textChunks: [2, 12], dropRate: 0.02, duplicateRate: 0.01, toolOutputBytes: [0, 4096] })
  const records = stamp(bodies)
  await writeFile(dataDir.runLog(runStarted().runId), records.map(encodeRecord).join(''))
  const host = await startBrowserHost(data.path)
  try {
    await page.goto(host.url)
    const runButton = page.getByRole('list', { name: 'Runs' }).getByRole('button').first()
    await runButton.waitFor()
    await trace(browser, page)
    const openMs = await page.evaluate(async () => {
      const button = document.querySelector<HTMLButtonElement>('ul[aria-label="Runs"] button.run')!
      performance.mark('open-start')
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
      button.click()
      await shown
      // On screen: the frame after the rows went in has been drawn.
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
      performance.mark('open-end')
      return performance.now() - started
    })
    const rows = Number(await page.locator('ol.transcript > li').first().getAttribute('aria-setsize'))
    const scroll = await page.evaluate(async () => {
      const scroller = document.querySelector<HTMLElement>('.run .scroll')!
      scroller.scrollTop = 0
      await new Promise((resolve) => requestAnimationFrame(resolve))
      performance.mark('scroll-start')
      const intervals: number[] = []
      let last = performance.now()
      let maxInPage = 0
      while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 2) {
        scroller.scrollTop += scroller.clientHeight
        await new Promise((resolve) => requestAnimationFrame(resolve))
        const now = performance.now()
        intervals.push(now - last)
        last = now
        maxInPage = Math.max(maxInPage, document.querySelectorAll('ol.transcript > li').length)
      }
      performance.mark('scroll-end')
      return { frames: intervals.length, maxRowsInPage: maxInPage }
    })
    const events = await stopTrace(browser)
    if (process.env.DUMP_TRACE) writeFileSync(process.env.DUMP_TRACE, JSON.stringify(events))
    const thread = rendererMainThread(events)!
    const openStart = markAt(events, 'open-start')
    const openEnd = markAt(events, 'open-end')
    const scrollStart = markAt(events, 'scroll-start')
    const scrollEnd = markAt(events, 'scroll-end')
    const scrollFrames = busyPerFrame(events, thread, scrollStart, scrollEnd, 'cpu')
    results.open = {
      turns: OPEN_TURNS,
      records: records.length,
      transcriptRows: rows,
      openMs: round(openMs),
      longestTaskWhileOpening: longestTask(events, thread, openStart, openEnd)
    }
    results.scroll = {
      screens: scroll.frames,
      maxRowsInPage: scroll.maxRowsInPage,
      frameCpuMs: roundAll(percentiles(scrollFrames)),
      longestTask: longestTask(events, thread, scrollStart, scrollEnd),
      loadAverage: round(loadavg()[0]!)
    }
    expect(rows).toBeGreaterThan(OPEN_TURNS)
  } finally {
    await page.close()
    await host.stop()
    await data.dispose()
  }
})

test(`stream a ${STREAM_TURNS}-turn run: frame time near its start and near its end`, async ({ page, browser }) => {
  test.setTimeout(900_000)
  const data = await makeDataDir()
  const scenario = {
    name: 'long-stream',
    turns: [
      ...Array.from({ length: STREAM_TURNS - 1 }, (_, index) => ({
        output: [{ type: 'message', fillerTokens: 40 }, { type: 'function_call', name: 'list_dir', arguments: { path: index % 2 === 0 ? '.' : 'src' } }]
      })),
      { output: [{ type: 'message', text: 'Done.' }] }
    ]
  }
  const sim = await startSimProcess({ scenario, folder: data.folder, tokenIntervalMs: 1, ttftMs: 5 })
  await configureCustomProvider(data.path, sim.baseUrl, 'auto-in-sandbox')
  const host = await startBrowserHost(data.path, PROVIDER_ENV)
  try {
    const workspace = await sampleWorkspace(data.folder)
    await page.goto(host.url)
    await page.getByRole('textbox', { name: 'Repository path' }).first().fill(workspace)
    await page.getByRole('button', { name: 'Open', exact: true }).click()
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Network.enable')
    const turnsAt: number[] = []
    let finished: () => void = () => undefined
    const done = new Promise<void>((resolve) => (finished = resolve))
    cdp.on('Network.webSocketFrameReceived', (event) => {
      const payload = event.response.payloadData
      if (!payload.includes('"run.records"')) return
      const at = event.timestamp * 1000
      for (let index = payload.indexOf('"type":"request.sent"'); index !== -1; index = payload.indexOf('"type":"request.sent"', index + 1)) turnsAt.push(at)
      if (payload.includes('"type":"run.finished"')) finished()
    })
    await trace(browser, page)
    const composer = page.getByRole('textbox', { name: /Describe a task/ })
    await composer.fill('List the repository, a folder per turn.')
    await composer.press('Enter')
    await done
    const events = await stopTrace(browser)
    const thread = rendererMainThread(events)!
    const tenth = Math.max(1, Math.floor(turnsAt.length / 10))
    // The CDP clock and the trace clock are both monotonic milliseconds since boot.
    const early = busyPerFrame(events, thread, turnsAt[0]!, turnsAt[tenth]!, 'cpu')
    const late = busyPerFrame(events, thread, turnsAt[turnsAt.length - tenth]!, turnsAt[turnsAt.length - 1]!, 'cpu')
    results.streaming = {
      turns: turnsAt.length,
      firstTenth: { seconds: round((turnsAt[tenth]! - turnsAt[0]!) / 1000), frameCpuMs: roundAll(percentiles(early)) },
      lastTenth: { seconds: round((turnsAt[turnsAt.length - 1]! - turnsAt[turnsAt.length - tenth]!) / 1000), frameCpuMs: roundAll(percentiles(late)) },
      p95Ratio: round(percentiles(late).p95 / Math.max(0.01, percentiles(early).p95)),
      loadAverage: round(loadavg()[0]!)
    }
    await expect(page.getByTestId('run-phase')).toHaveText('Completed')
  } finally {
    await page.close()
    await host.stop()
    await sim.stop()
    await data.dispose()
  }
})
