import { z } from 'zod'
import { defineTool } from '../registry/define-tool'
import { fileToolRun, PATH_DESCRIPTION, requireNonEmpty } from './file-tool-run'

export const writeFileTool = defineTool({
  name: 'write_file',
  description: 'Create or replace a file in the workspace with the given content (missing parent directories are created).',
  schema: z.strictObject({
    path: z.string().describe(PATH_DESCRIPTION),
    content: z.string().describe('The complete new content of the file.')
  }),
  check: ({ path }) => requireNonEmpty(path, 'path'),
  classify: ({ path }) => ({ kind: 'write', path }),
  durability: 'effectful',
  run: ({ path, content }, { files }) =>
    fileToolRun('write_file', () => {
      const written = files.write(path, content)
      return `${written.created ? 'created' : 'replaced'} ${written.path} (${Buffer.byteLength(content).toLocaleString('en-US')} bytes)`
    }),
  render: { labelArgument: 'path', prefixName: true }
})
