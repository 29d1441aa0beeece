// Command-line options of `npm run bench`. Bad input is refused with a message naming the flag.
import { parseArgs } from 'node:util'
import { CLIENT_IDS, type ClientId } from './transport/clients/client'

export const USAGE = `Usage: npm run bench -- [options]

  --quick                 transport only: one repetition, no warm-up, no render-cost variant;
                          a check in about 2 minutes (results are not saved)
  --json                  print the results as JSON on stdout (progress goes to stderr)
  --repetitions N         measured runs per client and RTT (default 5)
  --warmups N             unmeasured warm-up runs per client before measuring (default 1, 0 with --quick)
  --rtt LIST              round-trip times in ms, comma-separated (default 0,20,80)
  --scenario NAME         the scenario every client plays (default spec-to-pr; read-only: 20 turns
                          of one read-only call, for the client overhead per read-only call)
  --instant-model         the sim streams every response at once (no time to first item, no token
                          pacing): none of the client's work hides behind the model's time
  --handshake-ms N        cost of every new TCP connection, TCP + TLS (default 30)
  --clients LIST          clients to run (default all): ${CLIENT_IDS.join(', ')}
  --render-cost-ms N      also run a variant where the server pays N ms per input item it
                          re-renders (default 0.25; 0 turns the variant off)
  --render-rtt LIST       RTTs of the render-cost variant (default 20)
  --render-repetitions N  repetitions of the render-cost variant (default 3)
  --only PART             transport or throughput (default both; results are then not saved)
  --no-save               do not write bench/results/
  --redraw                only redraw bench/results/transport.svg from bench/results/latest.json
  --no-build              use the existing build in out/bench (bench/run.js builds when sources changed)
  --help                  this text
`

export type BenchPart = 'transport' | 'throughput'

export const BENCH_SCENARIOS = ['spec-to-pr', 'read-only'] as const
export type BenchScenario = (typeof BENCH_SCENARIOS)[number]

export interface BenchOptions {
  json: boolean
  scenario: BenchScenario
  /** The base variant streams every response at once instead of at the scenario's pace. */
  instantModel: boolean
  repetitions: number
  warmups: number
  rttsMs: number[]
  handshakeMs: number
  clients: ClientId[]
  renderCostPerItemMs: number
  renderRttsMs: number[]
  renderRepetitions: number
  parts: BenchPart[]
  save: boolean
  quick: boolean
  redraw: boolean
}

export class OptionsError extends Error {}

function count(flag: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback
  const value = Number(text)
  if (!Number.isInteger(value) || value < min) throw new OptionsError(`${flag} needs a whole number of at least ${min}, got '${text}'`)
  return value
}

function milliseconds(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new OptionsError(`${flag} needs a non-negative number of milliseconds, got '${text}'`)
  return value
}

function millisecondList(flag: string, text: string | undefined, fallback: number[]): number[] {
  if (text === undefined) return fallback
  const values = text.split(',').map((part) => milliseconds(flag, part, 0))
  if (values.length === 0) throw new OptionsError(`${flag} needs at least one value`)
  return [...new Set(values)].sort((a, b) => a - b)
}

function clientList(text: string | undefined): ClientId[] {
  if (text === undefined) return [...CLIENT_IDS]
  const names = text.split(',').map((name) => name.trim())
  const unknown = names.filter((name) => !(CLIENT_IDS as readonly string[]).includes(name))
  if (unknown.length > 0) throw new OptionsError(`unknown client ${unknown.join(', ')} (choose from ${CLIENT_IDS.join(', ')})`)
  return CLIENT_IDS.filter((id) => names.includes(id))
}

function scenarioOf(text: string | undefined): BenchScenario {
  if (text === undefined) return 'spec-to-pr'
  const known = BENCH_SCENARIOS.find((name) => name === text)
  if (known === undefined) throw new OptionsError(`--scenario takes ${BENCH_SCENARIOS.join(' or ')}, got '${text}'`)
  return known
}

function partList(text: string | undefined, quick: boolean): BenchPart[] {
  if (text === undefined) return quick ? ['transport'] : ['transport', 'throughput']
  if (text === 'transport' || text === 'throughput') return [text]
  throw new OptionsError(`--only takes transport or throughput, got '${text}'`)
}

/** null means: print the usage and stop. */
export function parseBenchOptions(argv: string[]): BenchOptions | null {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        quick: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        repetitions: { type: 'string' },
        warmups: { type: 'string' },
        rtt: { type: 'string' },
        scenario: { type: 'string' },
        'instant-model': { type: 'boolean', default: false },
        'handshake-ms': { type: 'string' },
        clients: { type: 'string' },
        'render-cost-ms': { type: 'string' },
        'render-rtt': { type: 'string' },
        'render-repetitions': { type: 'string' },
        only: { type: 'string' },
        'no-save': { type: 'boolean', default: false },
        redraw: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false }
      }
    })
  } catch (error) {
    throw new OptionsError((error as Error).message)
  }
  const values = parsed.values
  if (values.help) return null
  const quick = values.quick
  const repetitions = count('--repetitions', values.repetitions, quick ? 1 : 5, 1)
  return {
    json: values.json,
    scenario: scenarioOf(values.scenario),
    instantModel: values['instant-model'],
    quick,
    repetitions,
    warmups: count('--warmups', values.warmups, quick ? 0 : 1, 0),
    rttsMs: millisecondList('--rtt', values.rtt, [0, 20, 80]),
    handshakeMs: milliseconds('--handshake-ms', values['handshake-ms'], 30),
    clients: clientList(values.clients),
    renderCostPerItemMs: milliseconds('--render-cost-ms', values['render-cost-ms'], quick ? 0 : 0.25),
    renderRttsMs: millisecondList('--render-rtt', values['render-rtt'], [20]),
    renderRepetitions: count('--render-repetitions', values['render-repetitions'], 3, 1),
    parts: partList(values.only, quick),
    save: !values['no-save'],
    redraw: values.redraw
  }
}
