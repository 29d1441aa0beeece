import { mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { storedHomeAllowlist } from '../../host/settings-store'
import { DataDir, defaultDataDir } from '../../store/data-dir'
import { newRunId } from '../../store/run-id'
import { SHELL_MAX_TIMEOUT_MS } from '../../tools/builtin/shell'
import { TerminalText } from '../../tools/output/terminal-text'
import { invalidHomeAllowlistEntries } from '../../tools/sandbox/home-view'
import { workspaceRefusal } from '../../tools/sandbox/workspace-validation'
import { SandboxedToolRuntime } from '../../tools/sandboxed-tool-runtime'
import type { ToolCallResult } from '../../tools/tool-runtime'
import { CliError, EXIT_USAGE } from '../cli-error'
import { commaList } from '../run-options'

const HELP = `usage: tether sandbox --workspace DIR [--allow-network HOST,...] [--home-allow DIR,...] [--timeout-ms N] -- COMMAND [ARG...]

Runs COMMAND the way the shell tool runs a model's command: in a PTY, inside the OS sandbox
(bubblewrap), with write access only to DIR and a private /tmp, protected files read-only, an
empty home showing only the home allowlist (settings, plus --home-allow), and
no network unless hosts are allowed (through a filtering proxy; HTTP(S) clients that honour
HTTP_PROXY reach only those hosts). COMMAND's output (stdout and stderr, one terminal) goes to
stdout; Tether's own notes go to stderr. Exits with COMMAND's exit status (124 on timeout).`

const EXIT_TIMEOUT = 124
const EXIT_INTERRUPTED = 130

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_/.,:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`
}

function exitCodeOf(result: ToolCallResult): number {
  if (result.exitCode !== null) return result.exitCode
  switch (result.status) {
    case 'timeout':
      return EXIT_TIMEOUT
    case 'interrupted':
      return EXIT_INTERRUPTED
    case 'ok':
      return 0
    case 'error':
      return 1
  }
}

function parseOptions(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      workspace: { type: 'string' },
      'allow-network': { type: 'string' },
      'home-allow': { type: 'string' },
      'timeout-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    }
  })
}

function parse(args: string[]): { workspace: string; allowlist: string[]; homeAllow: string[]; timeoutMs: number; command: string } | null {
  let parsed: ReturnType<typeof parseOptions>
  try {
    parsed = parseOptions(args)
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${HELP}`, EXIT_USAGE)
  }
  const { values, positionals } = parsed
  if (values.help) return null
  if (values.workspace === undefined) throw new CliError('--workspace DIR is required', EXIT_USAGE)
  if (positionals.length === 0) throw new CliError('no command given (put it after --)', EXIT_USAGE)
  const timeoutMs = values['timeout-ms'] === undefined ? SHELL_MAX_TIMEOUT_MS : Number(values['timeout-ms'])
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > SHELL_MAX_TIMEOUT_MS) {
    throw new CliError(`--timeout-ms must be an integer from 1 to ${SHELL_MAX_TIMEOUT_MS}`, EXIT_USAGE)
  }
  let workspace: string
  try {
    workspace = realpathSync(values.workspace)
  } catch {
    throw new CliError(`the workspace ${values.workspace} does not exist`, EXIT_USAGE)
  }
  const refusal = workspaceRefusal(workspace, { home: homedir(), dataDir: defaultDataDir() })
  if (refusal !== null) throw new CliError(`this folder cannot be a workspace: ${refusal}`, EXIT_USAGE)
  const homeAllow = commaList(values['home-allow'])
  const invalidHome = invalidHomeAllowlistEntries(homeAllow)
  if (invalidHome.length > 0) throw new CliError(`--home-allow: ${invalidHome.join('; ')}`, EXIT_USAGE)
  return { workspace, allowlist: commaList(values['allow-network']), homeAllow, timeoutMs, command: positionals.map(shellQuote).join(' ') }
}

export async function sandboxCommand(args: string[]): Promise<number> {
  const options = parse(args)
  if (options === null) {
    process.stdout.write(`${HELP}\n`)
    return 0
  }
  const dataDir = new DataDir(defaultDataDir())
  const runtime = new SandboxedToolRuntime({
    dataDir: dataDir.root,
    homeAllowlist: async () => [...(await storedHomeAllowlist(dataDir.settings)), ...options.homeAllow]
  })
  const runId = newRunId()
  const artifactsDir = mkdtempSync(join(tmpdir(), 'tether-sandbox-'))
  const interrupt = new AbortController()
  const onSignal = (): void => interrupt.abort()
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  // A terminal gets the PTY's bytes as they are; a pipe or file gets plain text.
  const plain = process.stdout.isTTY ? null : new TerminalText()
  try {
    try {
      await runtime.openRun({ runId, workspace: options.workspace, artifactsDir, networkAllowlist: options.allowlist, unsandboxed: false })
    } catch (error) {
      throw new CliError((error as Error).message)
    }
    const result = await runtime.execute(
      { runId, callId: 'sandbox', call: runtime.registry.prepareOrThrow('shell', JSON.stringify({ command: options.command, timeout_ms: options.timeoutMs })) },
      { onOutput: (data) => process.stdout.write(plain === null ? data : plain.push(data)), signal: interrupt.signal }
    )
    if (plain !== null) process.stdout.write(plain.end())
    for (const line of result.output.split('\n')) {
      if (line.startsWith('[network:') || line.startsWith('[timed out') || line.startsWith('[interrupted')) process.stderr.write(`tether sandbox: ${line.slice(1, -1)}\n`)
    }
    if (result.status === 'error' && result.exitCode === null) throw new CliError(result.output)
    return exitCodeOf(result)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await runtime.close()
    rmSync(artifactsDir, { recursive: true, force: true })
  }
}
