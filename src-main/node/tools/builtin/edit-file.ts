import { z } from 'zod'
import { defineTool } from '../registry/define-tool'
import { fileToolRun, PATH_DESCRIPTION, requireNonEmpty } from './file-tool-run'

export const editFileTool = defineTool({
  name: 'edit_file',
  description: 'Replace exactly one occurrence of old_text with new_text in a workspace file. Fails if old_text is missing or occurs more than once; include enough context to make it unique.',
  schema: z.strictObject({
    path: z.string().describe(PATH_DESCRIPTION),
    old_text: z.string().describe('The exact text to replace (must occur exactly once).'),
    new_text: z.string().describe('The replacement text.')
  }),
  check: ({ path, old_text: oldText }) => requireNonEmpty(path, 'path') ?? requireNonEmpty(oldText, 'old_text'),
  classify: ({ path }) => ({ kind: 'write', path }),
  durability: 'effectful',
  run: ({ path, old_text: oldText, new_text: newText }, { files }) =>
    fileToolRun('edit_file', () => {
      const edited = files.edit(path, oldText, newText)
      return `edited ${edited.path}: replaced 1 occurrence at line ${edited.line}`
    }),
  render: { labelArgument: 'path', prefixName: true }
})
