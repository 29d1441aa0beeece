// The transport benchmark: every client plays the same scenario against a fresh sim per run, on
// the same emulated network, with the same sandboxed tools; runs are interleaved in rounds; each
// run is checked (every scripted turn completed, every call executed) before it counts. The first
// rounds of each setting start with the bare probe, which measures the sim's own time per turn.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { loadScenario, scenarioTimeline, type Timing } from '../../sim'
import { DEFAULT_INSTRUCTIONS } from '../../src-main/node/driver/driver-options'
import { SandboxedToolRuntime } from '../../src-main/node/tools/sandboxed-tool-runtime'
import type { BenchClient, ClientRunResult } from './clients/client'
import { benchGate } from './gate'
import { probeDiskSync } from './disk-probe'
import { firstConnectionMs, floorMs, networkFloorMs, networkOf, type ConnectionPattern } from './floor'
import { planRounds, type Round } from './plan'
import type { ComputedFloor, RunSample, SimCalibration, TransportResults } from './results'
import { FsyncMeter } from './fsync-meter'
import { SimChild } from './sim-child'
import { probeTurnOverheads } from './sim-probe'
import type { SimRunSummary } from './sim-protocol'
import { median } from './stats'
import { summarize } from './summarize'
import { TimedToolRuntime, type RunToolTimes } from './timed-tools'
import { SampleWorkspaces } from './workspaces'

export interface BenchVariant {
  /** `base`, or a name for a variant with other sim timing (e.g. `render-cost`). */
  name: string
  rttsMs: number[]
  repetitions: number
  timing: Partial<Timing>
}

export interface TransportBenchConfig {
  scenario: string
  handshakeMs: number
  clients: BenchClient[]
  variants: BenchVariant[]
  warmups: number
  /** Progress lines (to stderr in the CLI). */
  log: (line: string) => void
  /** The sim process's script (default: the built out/bench/bench-sim.js). */
  simEntry?: string
}

const PATTERNS: readonly ConnectionPattern[] = ['websocket', 'http-keep-alive', 'http-per-turn']
const BENCH_MODEL = 'sim-model'
/** Probe runs per variant and RTT: enough for a stable median, fewer than the client runs. */
const PROBES_PER_SETTING = 3

interface ScenarioFacts {
  task: string
  turns: number
  toolCalls: number
  modelMs: number
  modelMsPerTurn: number[]
}

/** A measured run before the sim's own time is known (it is calibrated over all rounds). */
type RawSample = Omit<RunSample, 'simOwnMs' | 'clientOverheadMs' | 'clientOverheadPerCallMs'>

function scenarioFacts(name: string, timing: Partial<Timing>): ScenarioFacts {
  const scenario = loadScenario(name)
  const timeline = scenarioTimeline(scenario, timing)
  return {
    task: scenario.task ?? 'Do the task.',
    turns: timeline.length,
    toolCalls: timeline.reduce((sum, turn) => sum + turn.calls, 0),
    modelMs: timeline.reduce((sum, turn) => sum + turn.modelMs, 0),
    modelMsPerTurn: timeline.map((turn) => turn.modelMs)
  }
}

function renderMsOf(sim: SimRunSummary, variant: BenchVariant): number {
  return sim.renderedItems.reduce((sum, items) => sum + items, 0) * (variant.timing.renderCostPerItemMs ?? 0)
}

/** Throws when the run did not play the scenario as scripted: such a run measures something else. */
function checkRun(who: string, facts: ScenarioFacts, sim: SimRunSummary, tools: RunToolTimes | null): void {
  const completed = sim.outcomes.completed ?? 0
  const problems: string[] = []
  if (completed !== facts.turns || Object.keys(sim.outcomes).length !== 1) problems.push(`responses ${JSON.stringify(sim.outcomes)}, expected ${facts.turns} completed`)
  if (sim.requestBytes.length !== facts.turns) problems.push(`${sim.requestBytes.length} requests, expected ${facts.turns}`)
  if (tools && tools.calls !== facts.toolCalls) problems.push(`${tools.calls} tool calls executed, expected ${facts.toolCalls}`)
  if (problems.length > 0) throw new Error(`${who} did not play the scenario: ${problems.join('; ')}`)
}

interface RunFacts {
  round: Round<BenchClient>
  client: BenchClient
  variant: BenchVariant
  facts: ScenarioFacts
  handshakeMs: number
}

function rawSampleOf({ round, client, variant, facts, handshakeMs }: RunFacts, result: ClientRunResult, sim: SimRunSummary, tools: RunToolTimes): RawSample {
  const renderMs = renderMsOf(sim, variant)
  const network = networkOf(round.rttMs, handshakeMs)
  const networkMs = networkFloorMs(client.pattern, facts.turns, network)
  const floor = floorMs({ modelMs: facts.modelMs, renderMs, networkMs, firstConnectionMs: firstConnectionMs(client.pattern, network), toolMs: tools.toolMs, setupMs: tools.setupMs })
  const bytesTotal = sim.requestBytes.reduce((sum, bytes) => sum + bytes, 0)
  return {
    variant: variant.name,
    client: client.id,
    rttMs: round.rttMs,
    repetition: round.repetition,
    e2eMs: result.e2eMs,
    modelMs: facts.modelMs,
    renderMs,
    networkMs,
    toolMs: tools.toolMs,
    setupMs: tools.setupMs,
    floorMs: floor,
    overheadMs: result.e2eMs - floor,
    overheadPerCallMs: (result.e2eMs - floor) / facts.toolCalls,
    requests: sim.requestBytes.length,
    toolCalls: tools.calls,
    bytesPerTurn: bytesTotal / sim.requestBytes.length,
    bytesTotal,
    tcpConnections: sim.tcpConnections,
    wsConnections: sim.wsConnections,
    hostRoundTripMs: tools.hostRoundTripMs,
    profile: result.profile
  }
}

function computedFloors(variants: readonly BenchVariant[], scenario: string, handshakeMs: number): ComputedFloor[] {
  return variants.flatMap((variant) => {
    const facts = scenarioFacts(scenario, variant.timing)
    return variant.rttsMs.map((rttMs) => ({
      variant: variant.name,
      rttMs,
      turns: facts.turns,
      toolCalls: facts.toolCalls,
      modelMs: facts.modelMs,
      networkMs: Object.fromEntries(PATTERNS.map((pattern) => [pattern, networkFloorMs(pattern, facts.turns, networkOf(rttMs, handshakeMs))])) as Record<ConnectionPattern, number>
    }))
  })
}

function key(variant: string, rttMs: number): string {
  return `${variant}\u0000${rttMs}`
}

function calibrationsOf(probes: ReadonlyMap<string, { variant: string; rttMs: number; totals: number[]; turns: number }>): SimCalibration[] {
  return [...probes.values()].map(({ variant, rttMs, totals, turns }) => ({ variant, rttMs, runs: totals.length, perTurnMs: median(totals) / turns, perRunMs: median(totals) }))
}

function withSimOwnTime(sample: RawSample, calibrations: readonly SimCalibration[], toolCalls: number): RunSample {
  const calibration = calibrations.find((entry) => entry.variant === sample.variant && entry.rttMs === sample.rttMs)
  const simOwnMs = (calibration?.perTurnMs ?? 0) * sample.requests
  const clientOverheadMs = sample.overheadMs - simOwnMs
  return { ...sample, simOwnMs, clientOverheadMs, clientOverheadPerCallMs: clientOverheadMs / toolCalls }
}

export async function runTransportBench(config: TransportBenchConfig): Promise<TransportResults> {
  // Under /var/tmp, not /tmp: inside the sandbox /tmp is the run's own directory.
  const root = realpathSync(mkdtempSync(join(process.platform === 'linux' ? '/var/tmp' : tmpdir(), 'tether-bench-')))
  const diskSync = await probeDiskSync(root)
  const workspaces = await SampleWorkspaces.create(root)
  const tools = new TimedToolRuntime(new SandboxedToolRuntime({ dataDir: workspaces.dataRoot, scratchDir: root }))
  const gate = benchGate(join(root, 'policy'))
  const sim = SimChild.spawn(config.simEntry)
  const fsyncs = await FsyncMeter.install()
  const raw: RawSample[] = []
  const probes = new Map<string, { variant: string; rttMs: number; totals: number[]; turns: number }>()
  const variantsByName = new Map(config.variants.map((variant) => [variant.name, variant]))
  const factsByVariant = new Map(config.variants.map((variant) => [variant.name, scenarioFacts(config.scenario, variant.timing)]))
  const rounds = planRounds(config.clients, config.variants, config.warmups)
  const total = rounds.reduce((sum, round) => sum + round.clients.length, 0)
  let done = 0
  try {
    for (const round of rounds) {
      const variant = variantsByName.get(round.variant) as BenchVariant
      const facts = factsByVariant.get(round.variant) as ScenarioFacts
      const simConfig = { scenario: config.scenario, latencyMs: round.rttMs / 2, handshakeMs: config.handshakeMs, timing: variant.timing }

      const probe = probes.get(key(round.variant, round.rttMs)) ?? { variant: round.variant, rttMs: round.rttMs, totals: [], turns: facts.turns }
      if (!round.warmup && probe.totals.length < PROBES_PER_SETTING) {
        const probeUrl = await sim.start(simConfig)
        const perTurn = await probeTurnOverheads({
          baseUrl: probeUrl,
          model: BENCH_MODEL,
          instructions: DEFAULT_INSTRUCTIONS,
          task: facts.task,
          tools: tools.registry.definitions(),
          modelMsPerTurn: facts.modelMsPerTurn,
          latencyMs: round.rttMs / 2
        })
        const probeSim = await sim.finish()
        checkRun('the probe', facts, probeSim, null)
        probe.totals.push(perTurn.reduce((sum, ms) => sum + ms, 0) - renderMsOf(probeSim, variant))
        probes.set(key(round.variant, round.rttMs), probe)
      }

      for (const client of round.clients) {
        const { workspace, dataDir } = await workspaces.next()
        const baseUrl = await sim.start(simConfig)
        fsyncs.take()
        const cpuBefore = process.cpuUsage()
        const loopBefore = performance.eventLoopUtilization()
        const result = await client.run({ baseUrl, workspace, dataDir, task: facts.task, instructions: DEFAULT_INSTRUCTIONS, model: BENCH_MODEL, tools, gate })
        const loop = performance.eventLoopUtilization(loopBefore)
        const cpu = process.cpuUsage(cpuBefore)
        const synced = fsyncs.take()
        await tools.closeRun(result.runId)
        const simSummary = await sim.finish()
        const toolTimes = tools.take(result.runId)
        checkRun(client.id, facts, simSummary, toolTimes)
        const cpuMs = (cpu.user + cpu.system) / 1000
        const measured = { ...result, profile: { ...result.profile, fsyncs: synced.count, fsyncMs: synced.ms, cpuPerCallMs: cpuMs / facts.toolCalls, busyPerCallMs: loop.active / facts.toolCalls } }
        const sample = rawSampleOf({ round, client, variant, facts, handshakeMs: config.handshakeMs }, measured, simSummary, toolTimes)
        if (!round.warmup) raw.push(sample)
        config.log(
          `[${String(++done).padStart(3)}/${total}] ${round.warmup ? 'warm-up ' : ''}${variant.name} rtt=${round.rttMs}ms ${client.id.padEnd(20)} e2e ${sample.e2eMs.toFixed(0).padStart(5)} ms  floor ${sample.floorMs.toFixed(0).padStart(5)} ms  overhead/call ${sample.overheadPerCallMs.toFixed(2)} ms`
        )
        await Promise.all([rm(workspace, { recursive: true, force: true }), rm(dataDir, { recursive: true, force: true })])
      }
    }
  } finally {
    fsyncs.uninstall()
    await tools.close()
    await sim.close()
    rmSync(root, { recursive: true, force: true })
  }
  const calibrations = calibrationsOf(probes)
  const samples = raw.map((sample) => withSimOwnTime(sample, calibrations, (factsByVariant.get(sample.variant) as ScenarioFacts).toolCalls))
  return {
    diskSync,
    scenario: config.scenario,
    handshakeMs: config.handshakeMs,
    samples,
    summaries: summarize(samples, config.clients),
    floors: computedFloors(config.variants, config.scenario, config.handshakeMs),
    calibrations
  }
}
