// The file operations behind read_file, list_dir, search, write_file and edit_file (and the
// script tool's host API), all confined by one PathPolicy.
import { closeSync } from 'node:fs'
import { existingPathForRead, listDirectory, openFileForRead, readOpened, writeFileConfined, type DirectoryEntry } from './confined-fs'
import { FileToolError, workspaceRelative, type PathPolicy } from './path-policy'
import { DEFAULT_RIPGREP, searchWithRipgrep, searchWithRipgrepSync, type RipgrepOptions, type SearchResult } from './ripgrep'

export const MAX_READ_BYTES = 10 * 1024 * 1024

export interface ReadLimits {
  maxLines: number
  maxChars: number
  lineChars: number
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxLines: 2000, maxChars: 100 * 1024, lineChars: 2000 }

export interface FileRange {
  text: string
  firstLine: number
  lastLine: number
  totalLines: number
}

function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8192).includes(0)
}

export class WorkspaceFiles {
  readonly policy: PathPolicy
  private readonly ripgrep: RipgrepOptions

  constructor(policy: PathPolicy, ripgrep: Partial<RipgrepOptions> = {}) {
    this.policy = policy
    this.ripgrep = { ...DEFAULT_RIPGREP, ...ripgrep }
  }

  /** The whole text of a workspace file. */
  readText(input: string, maxBytes = MAX_READ_BYTES): string {
    const file = openFileForRead(this.policy, input)
    try {
      if (file.stats.size > maxBytes) {
        throw new FileToolError(`${input} is ${file.stats.size.toLocaleString('en-US')} bytes; files up to ${maxBytes.toLocaleString('en-US')} bytes can be read this way (use the shell, e.g. sed -n '1,200p', for a part)`)
      }
      const bytes = readOpened(file, maxBytes)
      if (looksBinary(bytes)) throw new FileToolError(`${input} is a binary file (${bytes.length.toLocaleString('en-US')} bytes)`)
      return bytes.toString('utf8')
    } finally {
      closeSync(file.fd)
    }
  }

  /** Lines `startLine..endLine` (1-based, inclusive), within `limits`. */
  readRange(input: string, startLine: number | null, endLine: number | null, limits: ReadLimits = DEFAULT_READ_LIMITS): FileRange {
    const text = this.readText(input)
    const lines = text.split('\n')
    if (text.endsWith('\n')) lines.pop()
    const totalLines = lines.length
    const first = startLine ?? 1
    if (totalLines === 0) return { text: '', firstLine: 0, lastLine: 0, totalLines }
    if (first > totalLines) throw new FileToolError(`${input} has ${totalLines} lines; start_line ${first} is past the end`)
    const last = Math.min(endLine ?? totalLines, totalLines, first + limits.maxLines - 1)
    const shown: string[] = []
    let chars = 0
    for (let index = first - 1; index < last; index++) {
      let line = lines[index] ?? ''
      if (line.length > limits.lineChars) line = `${line.slice(0, limits.lineChars)} [... ${line.length - limits.lineChars} more characters]`
      if (shown.length > 0 && chars + line.length + 1 > limits.maxChars) break
      shown.push(line)
      chars += line.length + 1
    }
    return { text: shown.join('\n'), firstLine: first, lastLine: first + shown.length - 1, totalLines }
  }

  list(input: string): DirectoryEntry[] {
    return listDirectory(this.policy, input).entries
  }

  search(pattern: string, input: string | null): Promise<SearchResult> {
    return searchWithRipgrep(this.policy.workspace, pattern, existingPathForRead(this.policy, input ?? '.'), this.ripgrep)
  }

  searchSync(pattern: string, input: string | null): SearchResult {
    return searchWithRipgrepSync(this.policy.workspace, pattern, existingPathForRead(this.policy, input ?? '.'), this.ripgrep)
  }

  write(input: string, content: string): { path: string; created: boolean } {
    const written = writeFileConfined(this.policy, input, content)
    return { path: workspaceRelative(this.policy, written.real), created: written.created }
  }

  /** Replaces the one occurrence of `oldText`; returns the line where the replacement starts. */
  edit(input: string, oldText: string, newText: string): { path: string; line: number } {
    const text = this.readText(input)
    const at = text.indexOf(oldText)
    if (at === -1) throw new FileToolError(`old_text was not found in ${input} (it must match exactly, including whitespace)`)
    let occurrences = 1
    for (let next = text.indexOf(oldText, at + 1); next !== -1; next = text.indexOf(oldText, next + 1)) occurrences++
    if (occurrences > 1) throw new FileToolError(`old_text occurs ${occurrences} times in ${input}; include more surrounding text so it matches exactly once`)
    const written = this.write(input, text.slice(0, at) + newText + text.slice(at + oldText.length))
    return { path: written.path, line: text.slice(0, at).split('\n').length }
  }
}
