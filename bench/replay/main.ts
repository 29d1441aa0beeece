// The replay benchmark, host side: `node bench/replay/run.mjs [--baseline-mb 100] [--huge-mb 1024] [--scrubs 40]`.
// For a generated log of `--baseline-mb` and one of `--huge-mb` (the same run generator, one run
// that goes on and on), through the host's replay path (ReplayIndexes, then what the API handlers
// do: the replay window and the JSON that crosses to the renderer):
// - opening: building the index (one chunked read and fold), then the first answers the Replay
//   tab asks for (the last page and the state at the end);
// - scrubbing: the state at `--scrubs` positions spread over the whole run, each from a cold
//   start (no recent state near it), and ten steps of one record from one of them;
// - pages of 200 records anywhere;
// - the longest the event loop was held while opening and while scrubbing (a 10 ms timer; with
//   the main thread's own CPU time in that stretch, which leaves out other processes' share of a
//   busy machine), and the heap the index holds after a full GC.
// Reported with the ratio huge / baseline measured in the same run; results go to
// bench/results/replay.json.
import { readFileSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { ReplayIndexes } from '../../src-main/node/host/replay-indexes'
import { seededRandom } from '../../src-main/test-support/prng'
import { writeGeneratedLog } from '../long-run/generated-log'
import { projectRoot } from '../project-root'

interface Options {
  baselineMb: number
  hugeMb: number
  scrubs: number
}

function parseOptions(argv: string[]): Options {
  const options: Options = { baselineMb: 100, hugeMb: 1024, scrubs: 40 }
  for (let index = 0; index < argv.length; index += 2) {
    const name = argv[index]?.replace(/^--/, '').replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase()) as keyof Options
    const value = Number(argv[index + 1])
    if (!(name in options) || !Number.isInteger(value) || value <= 0) throw new Error(`bad option ${argv[index]} ${argv[index + 1]}`)
    options[name] = value
  }
  return options
}

// Under /var/tmp, not /tmp: /tmp may be memory.
const SCRATCH = '/var/tmp'
const RUN_ID = 'run_20260101T000000Z_abc123'
const PAGE = 200

function gc(): void {
  setFlagsFromString('--expose-gc')
  ;(runInNewContext('gc') as () => void)()
}

const round = (value: number): number => Math.round(value * 100) / 100
const mb = (bytes: number): number => round(bytes / 1024 / 1024)

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0
}

function summary(values: readonly number[]): { p50: number; p95: number; max: number } {
  return { p50: round(percentile(values, 0.5)), p95: round(percentile(values, 0.95)), max: round(Math.max(...values)) }
}

/**
 * Milliseconds of CPU the main thread has used (Linux; null elsewhere). On a shared machine a
 * timer also fires late while other processes hold the cores: what the thread itself ran in
 * that time is what held the event loop.
 */
function mainThreadCpuMs(): number | null {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6
  } catch {
    return null
  }
}

interface Held {
  /** The longest a 10 ms timer fired late. */
  maxHeldMs: number
  /** Of the longest stretch without a timer, the main thread's own CPU time: the hold without other processes' share of the cores. */
  maxHeldCpuMs: number | null
}

/** How long the event loop was held while `work` ran (a 10 ms timer). */
async function heldWhile<T>(work: () => Promise<T>): Promise<{ result: T } & Held> {
  let maxHeldMs = 0
  let maxHeldCpuMs: number | null = null
  let last = performance.now()
  let lastCpu = mainThreadCpuMs()
  const tick = (): void => {
    const now = performance.now()
    const cpu = mainThreadCpuMs()
    const late = now - last - 10
    maxHeldMs = Math.max(maxHeldMs, late)
    if (cpu !== null && lastCpu !== null) maxHeldCpuMs = Math.max(maxHeldCpuMs ?? 0, Math.min(late, cpu - lastCpu))
    last = now
    lastCpu = cpu
  }
  const ticker = setInterval(tick, 10)
  try {
    const result = await work()
    tick()
    return { result, maxHeldMs: round(maxHeldMs), maxHeldCpuMs: maxHeldCpuMs === null ? null : round(maxHeldCpuMs) }
  } finally {
    clearInterval(ticker)
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now()
  const result = await work()
  return { result, ms: performance.now() - started }
}

async function measure(root: string, megabytes: number, scrubs: number): Promise<Record<string, unknown>> {
  await mkdir(root, { recursive: true })
  const path = join(root, `${RUN_ID}.jsonl`)
  const written = await writeGeneratedLog(path, megabytes)
  process.stderr.write(`  ${mb(written.bytes)} MB, ${written.records} records written\n`)
  gc()
  const heapBefore = process.memoryUsage().heapUsed
  const indexes = new ReplayIndexes(() => path)

  // What answering one state request costs: the state's window, as JSON.
  const answer = async (position: number): Promise<number> => {
    const { index } = await indexes.open(RUN_ID)
    return JSON.stringify(await index.windowAt(position)).length
  }

  let progressEvents = 0
  const opening = await heldWhile(async () => {
    const build = await timed(() => indexes.open(RUN_ID, () => (progressEvents += 1)))
    const count = build.result.summary.records
    const first = await timed(async () => {
      const { index } = await indexes.open(RUN_ID)
      const page = JSON.stringify(await index.records(Math.max(0, count - PAGE), count)).length
      return { page, state: await answer(count - 1) }
    })
    // What opening the run in the app also asks for: the run's whole state for its view (see RunStore).
    const runView = await timed(() => build.result.index.state())
    return { buildMs: build.ms, firstAnswersMs: first.ms, runViewStateMs: runView.ms, count, stateBytes: first.result.state, index: build.result.index }
  })
  const { index, count } = opening.result
  gc()
  const heapWithIndex = process.memoryUsage().heapUsed

  const random = seededRandom(megabytes)
  const positions = Array.from({ length: scrubs }, (_, step) => Math.min(count - 1, Math.floor(((step + random.next()) / scrubs) * count)))
  // Visit them out of order, so no recent state is near the next one.
  for (let step = positions.length - 1; step > 0; step--) {
    const other = random.int(0, step)
    ;[positions[step], positions[other]] = [positions[other]!, positions[step]!]
  }
  const scrubMs: number[] = []
  const scrubBytes: number[] = []
  const stepMs: number[] = []
  const pageMs: number[] = []
  const scrubbing = await heldWhile(async () => {
    for (const position of positions) {
      const { result, ms } = await timed(() => answer(position))
      scrubMs.push(ms)
      scrubBytes.push(result)
    }
    const from = positions[0]!
    for (let step = 1; step <= 10 && from + step < count; step++) stepMs.push((await timed(() => answer(from + step))).ms)
    for (const position of positions.slice(0, 20)) {
      pageMs.push((await timed(async () => JSON.stringify(await index.records(position, position + PAGE)).length)).ms)
    }
  })
  return {
    megabytes: mb(written.bytes),
    records: count,
    open: {
      indexMs: round(opening.result.buildMs),
      firstAnswersMs: round(opening.result.firstAnswersMs),
      totalMs: round(opening.result.buildMs + opening.result.firstAnswersMs),
      runViewStateMs: round(opening.result.runViewStateMs),
      progressEvents,
      stateAtEndBytes: opening.result.stateBytes,
      maxEventLoopHeldMs: opening.maxHeldMs,
      maxEventLoopHeldCpuMs: opening.maxHeldCpuMs
    },
    index: {
      checkpoints: index.checkpoints,
      interval: index.interval,
      heldMb: mb(index.heldBytes),
      heapMb: mb(heapWithIndex - heapBefore),
    },
    scrubColdMs: summary(scrubMs),
    scrubStateBytes: summary(scrubBytes),
    stepOneRecordMs: summary(stepMs),
    page200Ms: summary(pageMs),
    scrubMaxEventLoopHeldMs: scrubbing.maxHeldMs,
    scrubMaxEventLoopHeldCpuMs: scrubbing.maxHeldCpuMs
  }
}

const options = parseOptions(process.argv.slice(2))
const root = join(SCRATCH, `tether-replay-bench-${process.pid}`)
try {
  const machine = { cpus: cpus().length, loadavg: loadavg().map((value) => round(value)), node: process.version }
  process.stderr.write(`replay: baseline ${options.baselineMb} MB (load ${machine.loadavg.join(' ')})\n`)
  const baseline = await measure(join(root, 'baseline'), options.baselineMb, options.scrubs)
  await rm(join(root, 'baseline'), { recursive: true, force: true })
  process.stderr.write(`replay: huge ${options.hugeMb} MB\n`)
  const huge = await measure(join(root, 'huge'), options.hugeMb, options.scrubs)
  const ratio = (pick: (result: Record<string, unknown>) => number): number => round(pick(huge) / Math.max(0.001, pick(baseline)))
  const open = (result: Record<string, unknown>) => result.open as { totalMs: number; firstAnswersMs: number }
  const scrub = (result: Record<string, unknown>) => result.scrubColdMs as { p50: number; p95: number }
  const ratios = {
    size: ratio((result) => result.megabytes as number),
    openTotal: ratio((result) => open(result).totalMs),
    firstAnswersAfterIndex: ratio((result) => open(result).firstAnswersMs),
    scrubColdP50: ratio((result) => scrub(result).p50),
    scrubColdP95: ratio((result) => scrub(result).p95)
  }
  const report = { generatedAt: new Date().toISOString(), machine: { ...machine, loadavgAtEnd: loadavg().map((value) => round(value)) }, options, baseline, huge, ratios }
  const out = join(projectRoot(), 'bench', 'results', 'replay.json')
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`)
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
} finally {
  await rm(root, { recursive: true, force: true })
}
