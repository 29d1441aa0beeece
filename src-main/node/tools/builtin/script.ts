import { z } from 'zod'
import { defineTool } from '../registry/define-tool'

export const scriptTool = defineTool({
  name: 'script',
  description:
    'Run JavaScript in a fresh isolated V8 sandbox (no Node.js APIs, no network, 64 MiB memory, 2 s CPU, 10 s wall time). ' +
    'The result is the value of the last expression (an awaited promise is resolved); with top-level await, the code is run as an async function body, so use `return`. ' +
    'Available: console.log / console.error, and synchronous workspace reads: tether.readFile(path) -> string, tether.listDir(path) -> [{name, type}], ' +
    'tether.search(pattern, path) -> [{path, line, text}]. Returns JSON with the result, the logs and any error.',
  schema: z.strictObject({
    code: z.string().describe('JavaScript source to evaluate.')
  }),
  classify: ({ code }) => ({ kind: 'script', code }),
  // The isolate can only read the workspace.
  durability: 'read-only',
  run: ({ code }, context) => context.scripts.execute(code, context.signal),
  render: { labelArgument: null, prefixName: true }
})
