// The long-run benchmark: `node bench/long-run/run.mjs [--turns N] [--runs N] [--run-turns N] [--parallel N] [--huge-mb N]`.
// (the app must be built: it starts the sim with the built `tether sim`).
//
// 1. One run of N turns (default 1,500) against the sim in its own process with zero model time:
//    each turn streams a short message and one call (a file read, a listing or a read-only
//    shell command), through the real driver, policy, sandboxed tools and run log. Reported: wall
//    time and Tether's own CPU per turn over the first and the last 10% of turns (their ratio is
//    what a cost per event that grows with the run would show), peak RSS of this process (the
//    tool host is another process), the log's size and what leaving out the request echo saved,
//    and the time to replay the log (whole read + fold, and the progressive fold the app uses).
// 2. Memory of a host after `--runs` finished runs of `--run-turns` turns each (default 20 x
//    1,000), run `--parallel` at a time through TetherHost as the app runs them: heap and RSS
//    after a full GC, against the same figures before the first run.
// 3. With `--huge-mb N`: a generated log of N MB (1,024 for the gigabyte check) opened the way the
//    app opens a run, a chunk at a time: time, the longest the event loop was held, memory.
import { readFileSync } from 'node:fs'
import { mkdir, rm, stat, writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { foldRecords } from '../../src-main/common/run/reduce'
import { REQUEST_ECHO_FIELDS } from '../../src-main/common/run/request-echo'
import type { RunRecord } from '../../src-main/common/run/records'
import { FileKeyStore } from '../../src-main/node/host/key-store'
import { SettingsStore } from '../../src-main/node/host/settings-store'
import { TetherHost } from '../../src-main/node/host/tether-host'
import { createAppGate } from '../../src-main/node/host/app-gate'
import { RunDriver } from '../../src-main/node/driver/run-driver'
import { DataDir } from '../../src-main/node/store/data-dir'
import { foldRunLog } from '../../src-main/node/store/run-log-fold'
import { writeGeneratedLog } from './generated-log'
import { readRunLog } from '../../src-main/node/store/run-log-reader'
import { createToolRuntime } from '../../src-main/node/tools/sandboxed-tool-runtime'
import { startSimProcess } from '../../e2e/support/sim-process'
import { projectRoot } from '../project-root'
import { benchGate } from '../transport/gate'

interface Options {
  turns: number
  runs: number
  runTurns: number
  parallel: number
  /** Size of a generated log to open progressively, in MB (0: skip). */
  hugeMb: number
}

function parseOptions(argv: string[]): Options {
  const options: Options = { turns: 1500, runs: 20, runTurns: 1000, parallel: 4, hugeMb: 0 }
  for (let index = 0; index < argv.length; index += 2) {
    const name = argv[index]?.replace(/^--/, '').replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase()) as keyof Options
    const value = Number(argv[index + 1])
    if (!(name in options) || !Number.isInteger(value) || value < 0) throw new Error(`bad option ${argv[index]} ${argv[index + 1]}`)
    options[name] = value
  }
  return options
}

// Under /var/tmp, not /tmp: inside the sandbox /tmp is the run's own directory.
const SCRATCH = '/var/tmp'

const CALLS = [
  { name: 'read_file', arguments: { path: 'README.md', start_line: null, end_line: null } },
  { name: 'list_dir', arguments: { path: '.' } },
  { name: 'shell', arguments: { command: 'ls -la', timeout_ms: null } }
]

/** N turns of a short message and one call each, then a final answer. */
function scenarioOf(turns: number, calls = CALLS): object {
  return {
    name: `long-run-${turns}`,
    turns: [
      ...Array.from({ length: turns - 1 }, (_, index) => ({
        output: [
          { type: 'message', text: `Step ${index + 1}: looking at the next part of the repository.` },
          { type: 'function_call', ...calls[index % calls.length] }
        ]
      })),
      { output: [{ type: 'message', text: 'Done: every part of the repository was read.' }] }
    ]
  }
}

function gc(): void {
  setFlagsFromString('--expose-gc')
  ;(runInNewContext('gc') as () => void)()
}

/** CPU time (user + system) a process has used so far, from /proc (clock ticks of 10 ms). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return (Number(fields[11]) + Number(fields[12])) * 10
}

const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length)
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`

async function longRun(root: string, turns: number): Promise<Record<string, unknown>> {
  await mkdir(root, { recursive: true })
  const sim = await startSimProcess({ scenario: scenarioOf(turns), folder: root, tokenIntervalMs: 0, ttftMs: 0 })
  const dataDir = new DataDir(join(root, 'data'))
  const workspace = join(root, 'workspace')
  await mkdir(workspace, { recursive: true })
  await writeFile(join(workspace, 'README.md'), '# A repository\n\nRead by every third turn of the benchmark.\n')
  const tools = createToolRuntime({ dataDir: dataDir.root, scratchDir: root })
  try {
    const driver = await RunDriver.start(
      dataDir,
      workspace,
      'Read the whole repository, one part per turn.',
      {
        provider: { name: 'custom', baseUrl: sim.baseUrl, apiKey: 'bench-key' },
        unsandboxed: false,
        tools,
        gate: benchGate(join(root, 'policy')),
        recovery: { backoff: { baseMs: 1, capMs: 5, random: () => 0.5 } }
      },
      {
        model: 'sim-model',
        transport: 'ws',
        store: false,
        instructions: 'You are a careful agent that reads a repository part by part.',
        approvalMode: 'ask-risky',
        networkAllowlist: []
      }
    )
    const turnStarts: { at: number; cpu: number; simCpu: number }[] = []
    const responseMs: number[] = []
    driver.subscribe((record) => {
      if (record.type === 'request.sent') {
        const cpu = process.cpuUsage()
        turnStarts.push({ at: performance.now(), cpu: (cpu.user + cpu.system) / 1000, simCpu: processCpuMs(sim.pid) })
      }
      if (record.type === 'metrics.turn') responseMs.push(record.durationMs)
    })
    const began = performance.now()
    const outcome = await driver.run()
    const wallMs = performance.now() - began
    await driver.close()
    const perTurn = turnStarts.slice(1).map((start, index) => ({
      wallMs: start.at - turnStarts[index]!.at,
      cpuMs: start.cpu - turnStarts[index]!.cpu,
      simCpuMs: start.simCpu - turnStarts[index]!.simCpu,
      responseMs: responseMs[index] ?? 0
    }))
    const tenth = Math.max(1, Math.floor(perTurn.length / 10))
    const first = perTurn.slice(0, tenth)
    // The first tenth holds the warm-up (the tool host starting, the JIT): the second is the fairer baseline.
    const second = perTurn.slice(tenth, 2 * tenth)
    const last = perTurn.slice(-tenth)
    const peakRss = process.resourceUsage().maxRSS * 1024

    const path = dataDir.runLog(driver.runId)
    const logBytes = (await stat(path)).size
    const started = performance.now()
    const contents = await readRunLog(path)
    const state = foldRecords(contents.records)
    const replayMs = performance.now() - started
    const progressiveStarted = performance.now()
    const progressive = await foldRunLog(path)
    const progressiveMs = performance.now() - progressiveStarted
    if (JSON.stringify(progressive.state) !== JSON.stringify(state)) throw new Error('the progressive fold differs from the whole-file fold')
    const echoBytes = echoSaved(contents.records, state.tools, state.settings?.instructions ?? '')
    return {
      turns: state.turns.length,
      outcome,
      records: contents.records.length,
      wallMs,
      perTurnMs: { first10: mean(first.map((turn) => turn.wallMs)), second10: mean(second.map((turn) => turn.wallMs)), last10: mean(last.map((turn) => turn.wallMs)) },
      perTurnRatio: mean(last.map((turn) => turn.wallMs)) / mean(first.map((turn) => turn.wallMs)),
      perTurnRatioAfterWarmUp: mean(last.map((turn) => turn.wallMs)) / mean(second.map((turn) => turn.wallMs)),
      cpuPerTurnMs: { first10: mean(first.map((turn) => turn.cpuMs)), second10: mean(second.map((turn) => turn.cpuMs)), last10: mean(last.map((turn) => turn.cpuMs)) },
      cpuPerTurnRatio: mean(last.map((turn) => turn.cpuMs)) / mean(first.map((turn) => turn.cpuMs)),
      cpuPerTurnRatioAfterWarmUp: mean(last.map((turn) => turn.cpuMs)) / mean(second.map((turn) => turn.cpuMs)),
      // Where the wall time of a turn goes besides Tether's own CPU: the sim answering (its process's
      // CPU) and the request as a whole, from leaving to the response's end.
      simCpuPerTurnMs: { first10: mean(first.map((turn) => turn.simCpuMs)), second10: mean(second.map((turn) => turn.simCpuMs)), last10: mean(last.map((turn) => turn.simCpuMs)) },
      responsePerTurnMs: { first10: mean(first.map((turn) => turn.responseMs)), second10: mean(second.map((turn) => turn.responseMs)), last10: mean(last.map((turn) => turn.responseMs)) },
      // The rest of the turn: Tether (the stream, the log, the gate, checkpoints) and the tools.
      outsideResponsePerTurnMs: {
        second10: mean(second.map((turn) => turn.wallMs - turn.responseMs)),
        last10: mean(last.map((turn) => turn.wallMs - turn.responseMs))
      },
      outsideResponseRatioAfterWarmUp: mean(last.map((turn) => turn.wallMs - turn.responseMs)) / mean(second.map((turn) => turn.wallMs - turn.responseMs)),
      peakRssBytes: peakRss,
      logBytes,
      logBytesWithEcho: logBytes + echoBytes,
      replayMs,
      progressiveReplayMs: progressiveMs
    }
  } finally {
    await tools.close()
    await sim.stop()
  }
}

/** What the lifecycle events would have added had they kept the response's echo of the request. */
function echoSaved(records: readonly RunRecord[], tools: unknown, instructions: string): number {
  const echo = JSON.stringify({ tools, instructions }).length - 2 + 1
  let lifecycle = 0
  for (const record of records) {
    if (record.type === 'server.event' && 'response' in record.event && REQUEST_ECHO_FIELDS.every((field) => !(field in (record.event as { response: object }).response))) lifecycle++
  }
  return lifecycle * echo
}

async function memoryAfterRuns(root: string, options: Options): Promise<Record<string, unknown>> {
  await mkdir(root, { recursive: true })
  const sim = await startSimProcess({ scenario: scenarioOf(options.runTurns, CALLS.slice(0, 2)), folder: root, tokenIntervalMs: 0, ttftMs: 0 })
  const dataDir = new DataDir(join(root, 'data'))
  await mkdir(dataDir.runs, { recursive: true })
  const settings = await SettingsStore.open(dataDir.settings)
  await settings.update({ provider: 'custom', baseUrl: sim.baseUrl, model: 'sim-model', approvalMode: 'ask-risky' })
  const host = await TetherHost.create({
    kind: 'browser',
    version: 'bench',
    dataDir,
    keys: new FileKeyStore(dataDir.root),
    env: { TETHER_API_KEY: 'bench-key' },
    resourcesDir: join(projectRoot(), 'resources'),
    toolServices: async (desk) => {
      const tools = createToolRuntime({ dataDir: dataDir.root, scratchDir: root })
      return { tools, gate: createAppGate(dataDir, desk), close: () => tools.close() }
    },
    demoModel: null
  })
  try {
    const workspaces = await Promise.all(
      Array.from({ length: options.parallel }, async (_, index) => {
        const workspace = join(root, `workspace-${index}`)
        await mkdir(workspace, { recursive: true })
        await writeFile(join(workspace, 'README.md'), '# A repository\n')
        return workspace
      })
    )
    gc()
    const before = process.memoryUsage()
    const began = performance.now()
    let next = 0
    const lane = async (workspace: string): Promise<void> => {
      while (next < options.runs) {
        next += 1
        const runId = await host.runs.start(workspace, 'Read the repository, one part per turn.', false)
        while (host.runs.isRunning(runId)) await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
    await Promise.all(workspaces.map(lane))
    while (host.runs.liveRuns > 0) await new Promise((resolve) => setTimeout(resolve, 50))
    gc()
    const after = process.memoryUsage()
    return {
      runs: options.runs,
      turnsPerRun: options.runTurns,
      parallel: options.parallel,
      wallMs: performance.now() - began,
      liveRuns: host.runs.liveRuns,
      keptRuns: host.runs.keptRuns,
      heapUsedBefore: before.heapUsed,
      heapUsedAfter: after.heapUsed,
      rssBefore: before.rss,
      rssAfter: after.rss
    }
  } finally {
    await host.close()
    await sim.stop()
  }
}

/**
 * Writes a log of `megabytes` from generated turns (one run that goes on and on), then folds it
 * the way the app opens a run: how long it takes, how long the event loop was held at most (a
 * timer that should fire every 10 ms measures it), and the memory it ends with.
 */
async function hugeLog(root: string, megabytes: number): Promise<Record<string, unknown>> {
  await mkdir(root, { recursive: true })
  const path = join(root, 'huge.jsonl')
  const { bytes, records: seq } = await writeGeneratedLog(path, megabytes)
  gc()
  let maxLagMs = 0
  let last = performance.now()
  const ticker = setInterval(() => {
    const now = performance.now()
    maxLagMs = Math.max(maxLagMs, now - last - 10)
    last = now
  }, 10)
  let progressEvents = 0
  const started = performance.now()
  const folded = await foldRunLog(path, () => (progressEvents += 1))
  const foldMs = performance.now() - started
  clearInterval(ticker)
  gc()
  const memory = process.memoryUsage()
  return {
    bytes,
    records: seq,
    foldMs,
    progressEvents,
    maxEventLoopLagMs: maxLagMs,
    heapUsedAfter: memory.heapUsed,
    rssAfter: memory.rss,
    peakRss: process.resourceUsage().maxRSS * 1024,
    items: Object.keys(folded.state.items).length,
    problems: folded.health.problemCount
  }
}

const options = parseOptions(process.argv.slice(2))
const root = join(SCRATCH, `tether-long-run-${process.pid}`)
await mkdir(root, { recursive: true })
try {
  const machine = { cpus: cpus().length, loadavg: loadavg().map((value) => Number(value.toFixed(2))), node: process.version }
  process.stderr.write(`long run: ${options.turns} turns (load ${machine.loadavg.join(' ')})\n`)
  const long = options.turns > 0 ? await longRun(join(root, 'long'), options.turns) : null
  if (long) process.stderr.write(
    `  per turn: first 10% ${(long.perTurnMs as { first10: number }).first10.toFixed(2)} ms, last 10% ${(long.perTurnMs as { last10: number }).last10.toFixed(2)} ms (x${(long.perTurnRatio as number).toFixed(2)}; x${(long.perTurnRatioAfterWarmUp as number).toFixed(2)} against the second 10%; outside the request x${(long.outsideResponseRatioAfterWarmUp as number).toFixed(2)}); ` +
      `peak RSS ${mb(long.peakRssBytes as number)}; log ${mb(long.logBytes as number)} (${mb(long.logBytesWithEcho as number)} with the echo); replay ${(long.replayMs as number).toFixed(0)} ms\n`
  )
  let memory: Record<string, unknown> | null = null
  if (options.runs > 0) {
    process.stderr.write(`memory: ${options.runs} runs of ${options.runTurns} turns, ${options.parallel} at a time\n`)
    memory = await memoryAfterRuns(join(root, 'memory'), options)
    process.stderr.write(`  heap ${mb(memory.heapUsedBefore as number)} -> ${mb(memory.heapUsedAfter as number)}, RSS ${mb(memory.rssBefore as number)} -> ${mb(memory.rssAfter as number)}\n`)
  }
  let huge: Record<string, unknown> | null = null
  if (options.hugeMb > 0) {
    process.stderr.write(`huge log: ${options.hugeMb} MB\n`)
    huge = await hugeLog(join(root, 'huge'), options.hugeMb)
    process.stderr.write(`  ${mb(huge.bytes as number)}, ${huge.records as number} records: folded in ${(huge.foldMs as number).toFixed(0)} ms, event loop held at most ${(huge.maxEventLoopLagMs as number).toFixed(1)} ms\n`)
  }
  const report = { generatedAt: new Date().toISOString(), machine: { ...machine, loadavgAtEnd: loadavg().map((value) => Number(value.toFixed(2))) }, options, long, memory, huge }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
} finally {
  await rm(root, { recursive: true, force: true })
}
