import { z } from 'zod'
import { defineTool } from '../registry/define-tool'

export const SHELL_DEFAULT_TIMEOUT_MS = 120_000
export const SHELL_MAX_TIMEOUT_MS = 600_000

export const shellTool = defineTool({
  name: 'shell',
  description:
    'Run a bash command in this run\'s persistent terminal (the working directory and exported variables persist between calls). ' +
    'It runs inside a sandbox: it can write only to the workspace and /tmp, protected files (.git/hooks, .git/config, shell rc files) are read-only, ' +
    'and the network is off unless allowed. Standard input is empty; there is no way to answer prompts. ' +
    'Long output is shortened to its head and tail and the full output is saved to a file whose path is given.',
  schema: z.strictObject({
    command: z.string().describe('The bash command line to run.'),
    timeout_ms: z.int().nullable().describe(`Time limit in milliseconds (default ${SHELL_DEFAULT_TIMEOUT_MS}, at most ${SHELL_MAX_TIMEOUT_MS}). On timeout every process the call started is killed.`)
  }),
  check: ({ command, timeout_ms }) => {
    if (command.trim().length === 0) return 'command must not be empty'
    if (timeout_ms !== null && (timeout_ms < 1 || timeout_ms > SHELL_MAX_TIMEOUT_MS)) return `timeout_ms must be between 1 and ${SHELL_MAX_TIMEOUT_MS} (got ${timeout_ms})`
    return null
  },
  classify: ({ command }) => ({ kind: 'shell', command }),
  durability: 'effectful',
  run: ({ command, timeout_ms }, context) =>
    context.shell.execute({ command, timeoutMs: timeout_ms ?? SHELL_DEFAULT_TIMEOUT_MS }, context.artifactPath, context.emit, context.signal),
  render: { labelArgument: 'command', prefixName: false }
})
