// Content search with ripgrep: the argument list, and reading its JSON output into matches.
// Two drivers share them: an asynchronous one for the search tool and a synchronous one for the
// script tool's host API (which answers from inside a synchronous callback).
import { spawn, spawnSync } from 'node:child_process'
import { relative, sep } from 'node:path'

export interface SearchMatch {
  path: string
  line: number
  text: string
}

export interface SearchResult {
  matches: SearchMatch[]
  /** True when the search stopped at the match limit. */
  truncated: boolean
}

export interface RipgrepOptions {
  ripgrepPath: string
  maxMatches: number
  maxLineChars: number
  timeoutMs: number
}

export const DEFAULT_RIPGREP: RipgrepOptions = { ripgrepPath: '/usr/bin/rg', maxMatches: 500, maxLineChars: 500, timeoutMs: 20_000 }

function ripgrepArgs(pattern: string, target: string): string[] {
  return ['--json', '--no-config', '--regexp', pattern, '--', target]
}

interface RgText {
  text?: string
  bytes?: string
}

function textOf(value: RgText | undefined): string {
  if (value?.text !== undefined) return value.text
  if (value?.bytes !== undefined) return Buffer.from(value.bytes, 'base64').toString('utf8')
  return ''
}

/** One line of `rg --json` output to a match, or null for the other message types. */
function parseLine(line: string, workspace: string, options: RipgrepOptions): SearchMatch | null {
  if (!line.startsWith('{"type":"match"')) return null
  const message = JSON.parse(line) as { data: { path: RgText; lines: RgText; line_number: number | null } }
  const path = relative(workspace, textOf(message.data.path)).split(sep).join('/')
  let text = textOf(message.data.lines).replace(/\r?\n$/, '')
  if (text.length > options.maxLineChars) text = `${text.slice(0, options.maxLineChars)} [... ${text.length - options.maxLineChars} more characters]`
  return { path, line: message.data.line_number ?? 0, text }
}

export class RipgrepError extends Error {}

function failure(status: number | null, stderr: string): RipgrepError {
  const detail = stderr.trim().split('\n').slice(0, 5).join('\n')
  return new RipgrepError(detail.length > 0 ? `ripgrep failed: ${detail}` : `ripgrep failed (exit status ${status})`)
}

/** Searches `target` (an absolute real path inside `workspace`). */
export function searchWithRipgrep(workspace: string, pattern: string, target: string, options: RipgrepOptions = DEFAULT_RIPGREP): Promise<SearchResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.ripgrepPath, ripgrepArgs(pattern, target), { cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: '/usr/bin:/bin' } })
    const matches: SearchMatch[] = []
    let truncated = false
    let pending = ''
    let stderr = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs)
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      if (truncated) return
      pending += chunk
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        const match = parseLine(line, workspace, options)
        if (match === null) continue
        if (matches.length >= options.maxMatches) {
          truncated = true
          child.kill('SIGKILL')
          return
        }
        matches.push(match)
      }
    })
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 8192) stderr += chunk
    })
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(new RipgrepError(`cannot run ripgrep (${options.ripgrepPath}): ${error.message}`))
    })
    child.on('close', (status, signal) => {
      clearTimeout(timer)
      if (truncated || status === 0 || status === 1) resolve({ matches, truncated })
      else if (signal !== null) reject(new RipgrepError(`ripgrep was stopped after ${options.timeoutMs} ms`))
      else if (matches.length > 0) resolve({ matches, truncated })
      else reject(failure(status, stderr))
    })
  })
}

export function searchWithRipgrepSync(workspace: string, pattern: string, target: string, options: RipgrepOptions = DEFAULT_RIPGREP): SearchResult {
  const result = spawnSync(options.ripgrepPath, ripgrepArgs(pattern, target), {
    cwd: workspace,
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin' },
    timeout: options.timeoutMs,
    maxBuffer: 32 * 1024 * 1024,
    killSignal: 'SIGKILL'
  })
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') throw new RipgrepError(`cannot run ripgrep (${options.ripgrepPath}): not found`)
  const matches: SearchMatch[] = []
  let truncated = false
  for (const line of (result.stdout ?? '').split('\n')) {
    const match = parseLine(line, workspace, options)
    if (match === null) continue
    if (matches.length >= options.maxMatches) {
      truncated = true
      break
    }
    matches.push(match)
  }
  if (truncated || result.status === 0 || result.status === 1 || matches.length > 0) return { matches, truncated: truncated || result.error !== undefined }
  throw failure(result.status, result.stderr ?? '')
}
