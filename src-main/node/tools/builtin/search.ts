import { z } from 'zod'
import { defineTool } from '../registry/define-tool'
import { fileToolRun, requireNonEmpty } from './file-tool-run'

export const searchTool = defineTool({
  name: 'search',
  description: 'Search file contents in the workspace with ripgrep (a Rust regular expression; .gitignore is respected). Returns path:line: text lines.',
  schema: z.strictObject({
    pattern: z.string().describe('Regular expression to search for.'),
    path: z.string().nullable().describe('File or directory to search, relative to the workspace root, or null for the whole workspace.')
  }),
  check: ({ pattern }) => requireNonEmpty(pattern, 'pattern'),
  classify: ({ path }) => ({ kind: 'read', path: path ?? '.' }),
  durability: 'read-only',
  run: ({ pattern, path }, { files }) =>
    fileToolRun('search', async () => {
      const result = await files.search(pattern, path)
      if (result.matches.length === 0) return 'no matches'
      const lines = result.matches.map((match) => `${match.path}:${match.line}: ${match.text}`)
      if (result.truncated) lines.push(`[stopped after ${result.matches.length} matches; narrow the pattern or the path]`)
      return lines.join('\n')
    }),
  render: { labelArgument: 'pattern', prefixName: true }
})
