import { realpath } from 'node:fs/promises'
import { summarizeMetrics } from '../../../common/run/metrics-summary'
import type { RunOutcome } from '../../../common/run/records'
import type { RunState } from '../../../common/run/state'
import { RunDriver, RunNotFoundError } from '../../driver/run-driver'
import { DEFAULT_INSTRUCTIONS, type RunDriverOptions } from '../../driver/driver-options'
import { ProviderConfigError, resolveProvider, type Provider } from '../../driver/provider'
import { DataDir, defaultDataDir } from '../../store/data-dir'
import { readRunLog } from '../../store/run-log-reader'
import { encodeRecord } from '../../store/record-codec'
import { SandboxedToolRuntime } from '../../tools/sandboxed-tool-runtime'
import { CliError, EXIT_USAGE } from '../cli-error'
import { ANSI_STYLE, LiveView, PLAIN_STYLE } from '../live-view'
import { renderMetrics } from '../render-transcript'
import { parseRunOptions, RUN_HELP, type RunCliOptions } from '../run-options'
import { defaultModelOf, PROVIDERS } from '../../../common/providers/providers'
import { createRunGate } from '../run-gate'

const EXIT_CODES: Record<RunOutcome, number> = { completed: 0, failed: 1, incomplete: 3, interrupted: 130 }

interface Connection {
  provider: Provider
  label: string
  stop: () => Promise<void>
}

async function connect(options: RunCliOptions, recorded: RunState | null): Promise<Connection> {
  if (options.sim !== null || recorded?.provider?.name === 'sim') {
    const { startSim } = await import('../../../../sim')
    const sim = await startSim({ scenario: options.sim ?? 'demo' })
    return { provider: { name: 'custom', baseUrl: sim.baseUrl, apiKey: 'sim' }, label: 'sim', stop: () => sim.stop() }
  }
  try {
    const provider = resolveProvider({
      provider: options.provider ?? recorded?.provider?.name,
      baseUrl: options.baseUrl ?? (recorded?.provider?.name === 'custom' ? recorded.provider.baseUrl : undefined)
    })
    return { provider, label: provider.name, stop: async () => {} }
  } catch (error) {
    if (error instanceof ProviderConfigError) throw new CliError(error.message, EXIT_USAGE)
    throw error
  }
}

export async function runCommand(args: string[]): Promise<number> {
  const options = parseRunOptions(args)
  if (options.help) {
    process.stdout.write(`${RUN_HELP}\n`)
    return 0
  }
  const dataDir = new DataDir(defaultDataDir())
  const recorded = options.resume === null ? null : await RunDriver.peek(dataDir, options.resume).catch((error: unknown) => {
    if (error instanceof RunNotFoundError) throw new CliError(error.message, EXIT_USAGE)
    throw error
  })
  const connection = await connect(options, recorded)
  const tools = new SandboxedToolRuntime({ dataDir: dataDir.root })
  const interactive = !options.json && process.stdin.isTTY === true && process.stdout.isTTY === true
  const style = process.stdout.isTTY ? ANSI_STYLE : PLAIN_STYLE
  const driverOptions = (gate: RunDriverOptions['gate']): RunDriverOptions => ({
    provider: connection.provider,
    providerLabel: connection.label,
    model: options.model ?? recorded?.model ?? defaultModelOf(connection.provider.name),
    transport: options.transport,
    store: options.store,
    instructions: DEFAULT_INSTRUCTIONS,
    reasoning: {
      effort: options.reasoningEffort,
      summary: options.reasoningSummary ?? PROVIDERS[connection.provider.name].defaultReasoningSummary
    },
    approvalMode: options.approvalMode,
    networkAllowlist: options.networkAllowlist,
    unsandboxed: false,
    tools,
    gate
  })
  let driver: RunDriver | null = null
  try {
    const gate = createRunGate({ dataDir, interactive, style })
    if (options.resume !== null) {
      driver = await RunDriver.resume(dataDir, options.resume, driverOptions(gate), 'tether run --resume')
    } else {
      const workspace = await realpath(options.workspace!).catch(() => {
        throw new CliError(`--workspace ${options.workspace}: no such directory`, EXIT_USAGE)
      })
      driver = await RunDriver.start(dataDir, workspace, options.task!, driverOptions(gate))
    }
    const view = new LiveView((text) => process.stdout.write(text), style)
    // With --json, stdout is the log itself, line for line with checksums (`tether replay -` reads
    // it back): what is already in it, then every new record.
    if (options.json) for (const record of (await readRunLog(driver.logPath)).records) process.stdout.write(encodeRecord(record))
    driver.subscribe((record, state) => (options.json ? process.stdout.write(encodeRecord(record)) : view.show(record, state)))
    if (!options.json) process.stderr.write(style.dim(`run ${driver.runId} · log ${driver.logPath}\n`))
    const active = driver
    let interrupts = 0
    const onSigint = (): void => {
      interrupts += 1
      if (interrupts > 1) process.exit(EXIT_CODES.interrupted)
      void active.interrupt()
    }
    process.on('SIGINT', onSigint)
    const outcome = await driver.run().finally(() => process.off('SIGINT', onSigint))
    if (!options.json) process.stdout.write(`\n${renderMetrics(summarizeMetrics(driver.state))}\n`)
    return EXIT_CODES[outcome]
  } finally {
    await driver?.close()
    await tools.close()
    await connection.stop()
  }
}
