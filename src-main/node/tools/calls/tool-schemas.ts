// The argument schemas of every tool, written once: the strict JSON schemas the model sees are
// generated from these, and the same schemas validate what the model sends back.
import { z } from 'zod'

export const SHELL_DEFAULT_TIMEOUT_MS = 120_000
export const SHELL_MAX_TIMEOUT_MS = 600_000

export const TOOL_SCHEMAS = {
  shell: {
    description:
      'Run a bash command in this run\'s persistent terminal (the working directory and exported variables persist between calls). ' +
      'It runs inside a sandbox: it can write only to the workspace and /tmp, protected files (.git/hooks, .git/config, shell rc files) are read-only, ' +
      'and the network is off unless allowed. Standard input is empty; there is no way to answer prompts. ' +
      'Long output is shortened to its head and tail and the full output is saved to a file whose path is given.',
    arguments: z.strictObject({
      command: z.string().describe('The bash command line to run.'),
      timeout_ms: z.int().nullable().describe(`Time limit in milliseconds (default ${SHELL_DEFAULT_TIMEOUT_MS}, at most ${SHELL_MAX_TIMEOUT_MS}). On timeout every process the call started is killed.`)
    })
  },
  script: {
    description:
      'Run JavaScript in a fresh isolated V8 sandbox (no Node.js APIs, no network, 64 MiB memory, 2 s CPU, 10 s wall time). ' +
      'The result is the value of the last expression (an awaited promise is resolved); with top-level await, the code is run as an async function body, so use `return`. ' +
      'Available: console.log / console.error, and synchronous workspace reads: tether.readFile(path) -> string, tether.listDir(path) -> [{name, type}], ' +
      'tether.search(pattern, path) -> [{path, line, text}]. Returns JSON with the result, the logs and any error.',
    arguments: z.strictObject({
      code: z.string().describe('JavaScript source to evaluate.')
    })
  },
  read_file: {
    description: 'Read a text file in the workspace, optionally a range of lines (1-based, inclusive). Long files are cut; read further with start_line/end_line.',
    arguments: z.strictObject({
      path: z.string().describe('File path, relative to the workspace root.'),
      start_line: z.int().nullable().describe('First line to return (1-based), or null for the start of the file.'),
      end_line: z.int().nullable().describe('Last line to return (inclusive), or null for the end of the file.')
    })
  },
  list_dir: {
    description: 'List the entries of a directory in the workspace. Directories end with "/", symbolic links show their target.',
    arguments: z.strictObject({
      path: z.string().describe('Directory path, relative to the workspace root ("." for the root).')
    })
  },
  search: {
    description: 'Search file contents in the workspace with ripgrep (a Rust regular expression; .gitignore is respected). Returns path:line: text lines.',
    arguments: z.strictObject({
      pattern: z.string().describe('Regular expression to search for.'),
      path: z.string().nullable().describe('File or directory to search, relative to the workspace root, or null for the whole workspace.')
    })
  },
  write_file: {
    description: 'Create or replace a file in the workspace with the given content (missing parent directories are created).',
    arguments: z.strictObject({
      path: z.string().describe('File path, relative to the workspace root.'),
      content: z.string().describe('The complete new content of the file.')
    })
  },
  edit_file: {
    description: 'Replace exactly one occurrence of old_text with new_text in a workspace file. Fails if old_text is missing or occurs more than once; include enough context to make it unique.',
    arguments: z.strictObject({
      path: z.string().describe('File path, relative to the workspace root.'),
      old_text: z.string().describe('The exact text to replace (must occur exactly once).'),
      new_text: z.string().describe('The replacement text.')
    })
  }
} as const

export type ToolName = keyof typeof TOOL_SCHEMAS

export const TOOL_NAMES = Object.keys(TOOL_SCHEMAS) as ToolName[]

export function isToolName(name: string): name is ToolName {
  return Object.hasOwn(TOOL_SCHEMAS, name)
}
