import { z } from 'zod'
import { assertNever } from '../../../common/run/records'
import type { DirectoryEntry } from '../files/confined-fs'
import { defineTool } from '../registry/define-tool'
import { fileToolRun, requireNonEmpty } from './file-tool-run'

const MAX_LISTED_ENTRIES = 1000

function formatEntry(entry: DirectoryEntry): string {
  switch (entry.type) {
    case 'directory':
      return `${entry.name}/`
    case 'symlink':
      return `${entry.name} -> ${entry.target ?? '?'}`
    case 'file':
    case 'other':
      return entry.name
    default:
      return assertNever(entry.type, 'entry type')
  }
}

export const listDirTool = defineTool({
  name: 'list_dir',
  description: 'List the entries of a directory in the workspace. Directories end with "/", symbolic links show their target.',
  schema: z.strictObject({
    path: z.string().describe('Directory path, relative to the workspace root ("." for the root).')
  }),
  check: ({ path }) => requireNonEmpty(path, 'path'),
  classify: ({ path }) => ({ kind: 'read', path }),
  durability: 'read-only',
  run: ({ path }, { files }) =>
    fileToolRun('list_dir', () => {
      const entries = files.list(path)
      if (entries.length === 0) return `(${path} is empty)`
      const shown = entries.slice(0, MAX_LISTED_ENTRIES).map(formatEntry)
      if (entries.length > MAX_LISTED_ENTRIES) shown.push(`[... ${entries.length - MAX_LISTED_ENTRIES} more entries not shown]`)
      return shown.join('\n')
    }),
  render: { labelArgument: 'path', prefixName: true }
})
