// `tether sim`: a local Responses API server (WebSocket mode and HTTP/SSE) that plays a scripted
// scenario, with emulated network cost and injected faults. The first line of stdout is the base
// URL; it serves until interrupted.
import { parseArgs } from 'node:util'
import { BUILTIN_SCENARIOS, FAULT_SYNTAX, loadScenario, startSim, type ResponseLogEntry, type SimOptions } from '../../../../sim/index'
import { CliError, EXIT_USAGE } from '../cli-error'

const HELP = `usage: tether sim [--port N] [--scenario NAME|FILE] [--latency-ms N] [--handshake-ms N] [--fault SPEC]...

Serves the OpenAI Responses API on 127.0.0.1 (WebSocket mode at /v1/responses, and POST /v1/responses
with SSE or JSON), playing a scripted scenario. Prints its base URL (http://127.0.0.1:N/v1) on the
first line of stdout and serves until interrupted.

  --port N                 listen port (default: a free port)
  --scenario NAME|FILE     built-in scenario (${BUILTIN_SCENARIOS.join(', ')}) or a scenario JSON file (default: spec-to-pr)
  --latency-ms N           added one-way latency per message, both directions, both transports (default 0)
  --handshake-ms N         cost of each new connection, modelling TCP + TLS setup (default 0)
  --fault SPEC             inject a fault; repeatable: ${FAULT_SYNTAX.join(', ')}
  --api-key KEY            accept only this bearer key (default: any non-empty key)
  --dialect openai|xai     whose answers to give where servers differ: xAI's error bodies and its
                           refusal of instructions beside previous_response_id (default openai)
  --connection-limit-ms N  WebSocket connection age limit (default 3600000)
  --ttft-ms N              override the scenario's time to first token
  --token-interval-ms N    override the scenario's time per output token
  --render-cost-ms N       server cost per input item it must render (0 = off; see sim/README.md)
  --log                    print one line per finished response to stderr
  --list                   list the built-in scenarios and exit`

export interface SimIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Aborting stops the server and ends the command. */
  signal: AbortSignal
}

function dialectOf(value: string | undefined): 'openai' | 'xai' {
  if (value === undefined || value === 'openai' || value === 'xai') return value ?? 'openai'
  throw new CliError(`--dialect must be openai or xai, got '${value}'`, EXIT_USAGE)
}

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const parsed = Number(value)
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0) throw new CliError(`--${name} needs a non-negative number, got '${value}'`, EXIT_USAGE)
  return parsed
}

function describeResponse(entry: ResponseLogEntry): string {
  const lane = entry.streamId ? ` lane=${entry.streamId}` : ''
  const continued = entry.previousResponseId ? ` after ${entry.previousResponseId} (${entry.parentSource})` : ' full'
  return `${entry.transport}#${entry.connectionId}${lane} ${entry.id} turn=${entry.turn} ${entry.outcome} input=${entry.inputItems}${continued}`
}

function parseOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        scenario: { type: 'string' },
        'latency-ms': { type: 'string' },
        'handshake-ms': { type: 'string' },
        fault: { type: 'string', multiple: true },
        'api-key': { type: 'string' },
        dialect: { type: 'string' },
        'connection-limit-ms': { type: 'string' },
        'ttft-ms': { type: 'string' },
        'token-interval-ms': { type: 'string' },
        'render-cost-ms': { type: 'string' },
        log: { type: 'boolean' },
        list: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      }
    })
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${HELP}`, EXIT_USAGE)
  }
}

export async function runSim(args: string[], io: SimIo): Promise<number> {
  const { values, positionals } = parseOptions(args)
  if (values.help) {
    io.stdout(`${HELP}\n`)
    return 0
  }
  if (positionals.length > 0) throw new CliError(`unexpected argument '${positionals[0]}'\n${HELP}`, EXIT_USAGE)
  if (values.list) {
    for (const name of BUILTIN_SCENARIOS) {
      const scenario = loadScenario(name)
      io.stdout(`${name.padEnd(12)} ${scenario.description ?? ''}\n`)
    }
    return 0
  }
  const port = number('port', values.port)
  if (port !== undefined && (!Number.isInteger(port) || port > 65535)) throw new CliError(`--port needs an integer from 0 to 65535, got '${values.port}'`, EXIT_USAGE)
  const ttftMs = number('ttft-ms', values['ttft-ms'])
  const tokenIntervalMs = number('token-interval-ms', values['token-interval-ms'])
  const renderCostPerItemMs = number('render-cost-ms', values['render-cost-ms'])
  const options: SimOptions = {
    port,
    latencyMs: number('latency-ms', values['latency-ms']),
    handshakeMs: number('handshake-ms', values['handshake-ms']),
    connectionAgeLimitMs: number('connection-limit-ms', values['connection-limit-ms']),
    apiKey: values['api-key'] ?? null,
    dialect: dialectOf(values.dialect),
    timing: {
      ...(ttftMs === undefined ? {} : { ttftMs }),
      ...(tokenIntervalMs === undefined ? {} : { tokenIntervalMs }),
      ...(renderCostPerItemMs === undefined ? {} : { renderCostPerItemMs })
    },
    faults: values.fault ?? [],
    recordMessages: false,
    ...(values.log ? { onResponseEnded: (entry: ResponseLogEntry) => io.stderr(`${describeResponse(entry)}\n`) } : {})
  }
  let scenarioSource = values.scenario
  try {
    if (scenarioSource !== undefined) options.scenario = loadScenario(scenarioSource)
  } catch (error) {
    throw new CliError((error as Error).message, EXIT_USAGE)
  }
  scenarioSource ??= 'spec-to-pr'
  let sim
  try {
    sim = await startSim(options)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') throw new CliError(`port ${port} is already in use`)
    throw new CliError((error as Error).message, EXIT_USAGE)
  }
  io.stdout(`${sim.baseUrl}\n`)
  const faults = options.faults?.length ? `, faults ${options.faults.join(' ')}` : ''
  io.stderr(`tether sim: scenario ${scenarioSource}, latency ${options.latencyMs ?? 0} ms, handshake ${options.handshakeMs ?? 0} ms${faults}; Ctrl-C to stop\n`)
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) return resolve()
    io.signal.addEventListener('abort', () => resolve(), { once: true })
  })
  await sim.stop()
  return 0
}

export async function simCommand(args: string[]): Promise<number> {
  const controller = new AbortController()
  const stop = (): void => controller.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  try {
    return await runSim(args, { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text), signal: controller.signal })
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  }
}
