import { z } from 'zod'
import { defineTool } from '../registry/define-tool'
import { fileToolRun, PATH_DESCRIPTION, requireNonEmpty } from './file-tool-run'

export const readFileTool = defineTool({
  name: 'read_file',
  description: 'Read a text file in the workspace, optionally a range of lines (1-based, inclusive). Long files are cut; read further with start_line/end_line.',
  schema: z.strictObject({
    path: z.string().describe(PATH_DESCRIPTION),
    start_line: z.int().nullable().describe('First line to return (1-based), or null for the start of the file.'),
    end_line: z.int().nullable().describe('Last line to return (inclusive), or null for the end of the file.')
  }),
  check: ({ path, start_line: startLine, end_line: endLine }) =>
    requireNonEmpty(path, 'path') ??
    (startLine !== null && startLine < 1 ? `start_line must be at least 1 (got ${startLine})` : null) ??
    (endLine !== null && endLine < (startLine ?? 1) ? `end_line must not be before start_line (got ${endLine})` : null),
  classify: ({ path }) => ({ kind: 'read', path }),
  durability: 'read-only',
  run: ({ path, start_line: startLine, end_line: endLine }, { files }) =>
    fileToolRun('read_file', () => {
      const range = files.readRange(path, startLine, endLine)
      if (range.totalLines === 0) return `(${path} is empty)`
      const whole = range.firstLine === 1 && range.lastLine === range.totalLines
      if (whole) return range.text
      const more = range.lastLine < range.totalLines && (endLine === null || range.lastLine < endLine) ? `; continue with start_line ${range.lastLine + 1}` : ''
      return `${range.text}\n[lines ${range.firstLine}-${range.lastLine} of ${range.totalLines}${more}]`
    }),
  render: { labelArgument: 'path', prefixName: true }
})
