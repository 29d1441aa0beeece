// Entry of `npm run bench` (built as out/bench/bench.js; bench/run.js builds and starts it).
// Progress goes to stderr; the report (text, or JSON with --json) to stdout; results are saved
// to bench/results/ unless --no-save.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { OptionsError, parseBenchOptions, USAGE, type BenchOptions } from './options'
import { projectRoot } from './project-root'
import { transportSection, type BenchReport, type TransportSection } from './report/document'
import { machineInfo, withEndLoad } from './report/machine'
import { textReport } from './report/text-report'
import { transportChart } from './report/transport-chart'
import { gatherThroughput } from './throughput/gather'
import { AGENTS_WS_CLIENT } from './transport/clients/agents-ws'
import type { BenchClient } from './transport/clients/client'
import { SDK_HTTP_CLIENT } from './transport/clients/sdk-http'
import { SDK_WS_CLIENT } from './transport/clients/sdk-ws'
import { TETHER_CLIENTS } from './transport/clients/tether'
import { runTransportBench, type BenchVariant } from './transport/transport-bench'

const ALL_CLIENTS: readonly BenchClient[] = [...TETHER_CLIENTS, SDK_HTTP_CLIENT, SDK_WS_CLIENT, AGENTS_WS_CLIENT]

/** Three decimals are enough for milliseconds and ratios; the rest is noise in the file. */
function rounded(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value
}

function log(line: string): void {
  process.stderr.write(`${line}\n`)
}

/** Every event of a response at once: all of a client's work is on the critical path. */
const INSTANT_MODEL = { ttftMs: 0, tokenIntervalMs: 0 }

function variantsOf(options: BenchOptions): BenchVariant[] {
  const variants: BenchVariant[] = [{ name: 'base', rttsMs: options.rttsMs, repetitions: options.repetitions, timing: options.instantModel ? INSTANT_MODEL : {} }]
  if (options.renderCostPerItemMs > 0) {
    variants.push({ name: 'render-cost', rttsMs: options.renderRttsMs, repetitions: options.renderRepetitions, timing: { renderCostPerItemMs: options.renderCostPerItemMs } })
  }
  return variants
}

async function transport(options: BenchOptions): Promise<TransportSection> {
  const clients = ALL_CLIENTS.filter((client) => options.clients.includes(client.id))
  const results = await runTransportBench({ scenario: options.scenario, handshakeMs: options.handshakeMs, clients, variants: variantsOf(options), warmups: options.warmups, log })
  return transportSection(
    results,
    {
      scenario: options.scenario,
      handshakeMs: options.handshakeMs,
      rttsMs: options.rttsMs,
      repetitions: options.repetitions,
      warmups: options.warmups,
      renderCostPerItemMs: options.renderCostPerItemMs,
      renderRttsMs: options.renderCostPerItemMs > 0 ? options.renderRttsMs : [],
      renderRepetitions: options.renderCostPerItemMs > 0 ? options.renderRepetitions : 0
    },
    clients
  )
}

function chartOf(report: BenchReport, transport: TransportSection): string {
  return transportChart({
    summaries: transport.results,
    floors: transport.floors,
    scenario: transport.config.scenario,
    handshakeMs: transport.config.handshakeMs,
    machine: report.machine,
    generatedAt: report.generatedAt.slice(0, 10)
  })
}

async function save(root: string, report: BenchReport): Promise<string[]> {
  const folder = join(root, 'bench', 'results')
  await mkdir(folder, { recursive: true })
  const written = [join(folder, 'latest.json')]
  await writeFile(written[0] as string, `${JSON.stringify(report, rounded, 2)}\n`)
  if (report.transport) {
    written.push(join(folder, 'transport.svg'))
    await writeFile(written[1] as string, chartOf(report, report.transport))
  }
  return written
}

/** Rewrites the chart from the saved results (after a change to the chart, without measuring again). */
async function redraw(root: string): Promise<void> {
  const folder = join(root, 'bench', 'results')
  const report = JSON.parse(await readFile(join(folder, 'latest.json'), 'utf8')) as BenchReport
  if (!report.transport) throw new Error('bench/results/latest.json holds no transport results to draw')
  await writeFile(join(folder, 'transport.svg'), chartOf(report, report.transport))
  log(`wrote ${join(folder, 'transport.svg')}`)
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2))
  if (!options) {
    process.stdout.write(USAGE)
    return
  }
  const root = projectRoot()
  if (options.redraw) return redraw(root)
  const machine = machineInfo()
  const startedAt = new Date()
  const transportResults = options.parts.includes('transport') ? await transport(options) : null
  const throughput = options.parts.includes('throughput') ? await gatherThroughput(root, log, { save: options.save }) : null
  const report: BenchReport = {
    generatedAt: startedAt.toISOString(),
    machine: withEndLoad(machine),
    arguments: process.argv.slice(2),
    transport: transportResults,
    throughput
  }
  process.stdout.write(options.json ? `${JSON.stringify(report, rounded, 2)}\n` : textReport(report))
  // Another scenario or pace is a file of its own: latest.json stays the full run the README quotes.
  if (options.save && (options.scenario !== 'spec-to-pr' || options.instantModel) && report.transport) {
    const path = join(root, 'bench', 'results', `transport-${options.scenario}${options.instantModel ? '-instant' : ''}.json`)
    await writeFile(path, `${JSON.stringify(report, rounded, 2)}\n`)
    log(`wrote ${path}`)
  } else if (options.save && options.parts.length === 2) {
    for (const path of await save(root, report)) log(`wrote ${path}`)
  } else if (options.save) {
    log('bench/results/ is written only by a complete run (without --only or --quick)')
  }
  log(`done in ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s`)
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof OptionsError ? `${error.message}\n\n${USAGE}` : ((error as Error).stack ?? String(error))}\n`)
  process.exitCode = error instanceof OptionsError ? 2 : 1
})
