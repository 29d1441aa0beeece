// read_file, list_dir, search, write_file and edit_file: a validated call in, the text the model
// reads out. Refusals and failures are answers (status `error`), never exceptions.
import { assertNever } from '../../../common/run/records'
import type { ToolCall } from '../calls/tool-call'
import { errorOutcome, okOutcome, type ToolOutcome } from '../host/tool-outcome'
import type { DirectoryEntry } from './confined-fs'
import { FileToolError } from './path-policy'
import { RipgrepError } from './ripgrep'
import type { WorkspaceFiles } from './workspace-files'

export type FileToolCall = Extract<ToolCall, { tool: 'read_file' | 'list_dir' | 'search' | 'write_file' | 'edit_file' }>

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

async function run(files: WorkspaceFiles, call: FileToolCall): Promise<string> {
  switch (call.tool) {
    case 'read_file': {
      const range = files.readRange(call.path, call.startLine, call.endLine)
      if (range.totalLines === 0) return `(${call.path} is empty)`
      const whole = range.firstLine === 1 && range.lastLine === range.totalLines
      if (whole) return range.text
      const more = range.lastLine < range.totalLines && (call.endLine === null || range.lastLine < call.endLine) ? `; continue with start_line ${range.lastLine + 1}` : ''
      return `${range.text}\n[lines ${range.firstLine}-${range.lastLine} of ${range.totalLines}${more}]`
    }
    case 'list_dir': {
      const entries = files.list(call.path)
      if (entries.length === 0) return `(${call.path} is empty)`
      const shown = entries.slice(0, MAX_LISTED_ENTRIES).map(formatEntry)
      if (entries.length > MAX_LISTED_ENTRIES) shown.push(`[... ${entries.length - MAX_LISTED_ENTRIES} more entries not shown]`)
      return shown.join('\n')
    }
    case 'search': {
      const result = await files.search(call.pattern, call.path)
      if (result.matches.length === 0) return 'no matches'
      const lines = result.matches.map((match) => `${match.path}:${match.line}: ${match.text}`)
      if (result.truncated) lines.push(`[stopped after ${result.matches.length} matches; narrow the pattern or the path]`)
      return lines.join('\n')
    }
    case 'write_file': {
      const written = files.write(call.path, call.content)
      return `${written.created ? 'created' : 'replaced'} ${written.path} (${Buffer.byteLength(call.content).toLocaleString('en-US')} bytes)`
    }
    case 'edit_file': {
      const edited = files.edit(call.path, call.oldText, call.newText)
      return `edited ${edited.path}: replaced 1 occurrence at line ${edited.line}`
    }
    default:
      return assertNever(call, 'file tool call')
  }
}

export async function runFileTool(files: WorkspaceFiles, call: FileToolCall): Promise<ToolOutcome> {
  try {
    return okOutcome(await run(files, call))
  } catch (error) {
    if (error instanceof FileToolError || error instanceof RipgrepError) return errorOutcome(error.message)
    return errorOutcome(`${call.tool} failed: ${(error as Error)?.message ?? String(error)}`)
  }
}
