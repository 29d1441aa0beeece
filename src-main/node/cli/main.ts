// `tether`: one entry, one module per command, loaded on demand so `tether replay` never pays
// for the sandbox or the model server.
import { CliError, EXIT_USAGE } from './cli-error'

type Command = (args: string[]) => Promise<number>

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  apply: { summary: "bring a worktree run's changes into your working tree, uncommitted", load: async () => (await import('./commands/apply')).applyCommand },
  classify: { summary: 'say whether a shell command would run unasked, ask, or hit the destructive floor', load: async () => (await import('./commands/classify')).classifyCommand },
  replay: { summary: 'print the transcript of a run log or a Responses event stream', load: async () => (await import('./commands/replay')).replayCommand },
  run: { summary: 'run an agent on a repository from the terminal (headless)', load: async () => (await import('./commands/run')).runCommand },
  rewind: { summary: "put a run's workspace back as it was before one of its calls", load: async () => (await import('./commands/rewind')).rewindCommand },
  runs: { summary: 'list persisted runs', load: async () => (await import('./commands/runs')).runsCommand },
  sandbox: { summary: 'run a command in the same PTY and OS sandbox as the shell tool', load: async () => (await import('./commands/sandbox')).sandboxCommand },
  sim: { summary: 'serve a scripted Responses API (WebSocket and HTTP) with latency and fault injection', load: async () => (await import('./commands/sim')).simCommand },
  web: { summary: 'serve the app to a browser on this machine (browser mode)', load: async () => (await import('./commands/web')).webCommand }
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`)
  return ['usage: tether <command> [options]', '', 'commands:', ...lines, '', 'Run `tether <command> --help` for options.'].join('\n')
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`)
    return name === undefined ? EXIT_USAGE : 0
  }
  const command = COMMANDS[name]
  if (!command) {
    process.stderr.write(`tether: unknown command '${name}'\n${usage()}\n`)
    return EXIT_USAGE
  }
  try {
    return await (await command.load())(args)
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`tether ${name}: ${error.message}\n`)
      return error.exitCode
    }
    // node:util parseArgs reports unknown or malformed options with these codes.
    const code = (error as NodeJS.ErrnoException).code
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`tether ${name}: ${(error as Error).message} (see \`tether ${name} --help\`)\n`)
      return EXIT_USAGE
    }
    throw error
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`tether: ${(error as Error)?.stack ?? String(error)}\n`)
    process.exitCode = 1
  }
)
