// Syntax colouring for diff lines, through the renderer's one lazy highlight.js loader: a file's
// language is named by its path, and lines are coloured one at a time (a hunk is not a whole
// file); highlight.js escapes the text it returns.
import { loadHighlighter } from './highlight'

const BY_EXTENSION: Record<string, string> = {
  ts: 'typescript', tsx: 'typescript', mts: 'typescript', cts: 'typescript',
  js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript', svelte: 'xml', vue: 'xml',
  json: 'json', css: 'css', scss: 'css', html: 'xml', htm: 'xml', xml: 'xml', svg: 'xml',
  md: 'markdown', py: 'python', sh: 'bash', bash: 'bash', zsh: 'bash', go: 'go', rs: 'rust', java: 'java',
  c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', hpp: 'cpp', yml: 'yaml', yaml: 'yaml',
  sql: 'sql', rb: 'ruby', diff: 'diff', patch: 'diff'
}

const BY_NAME: Record<string, string> = { Dockerfile: 'bash', '.bashrc': 'bash', '.profile': 'bash' }

export function languageOf(path: string): string | null {
  const name = path.slice(path.lastIndexOf('/') + 1)
  if (BY_NAME[name]) return BY_NAME[name]
  const dot = name.lastIndexOf('.')
  return dot > 0 ? (BY_EXTENSION[name.slice(dot + 1).toLowerCase()] ?? null) : null
}

/**
 * Lines longer than this are shown without colour: a grammar's cost on one line of a minified or
 * generated file (a run can write a megabyte on one line) would stall the window.
 */
export const MAX_COLOURED_LINE = 2000

/**
 * A function that colours one line of `path` as escaped HTML (null for a line too long to colour),
 * or null when there is no grammar for the file.
 */
export async function lineHighlighter(path: string): Promise<((line: string) => string | null) | null> {
  const language = languageOf(path)
  if (language === null) return null
  const hljs = await loadHighlighter()
  if (!hljs.getLanguage(language)) return null
  return (line) => (line.length > MAX_COLOURED_LINE ? null : hljs.highlight(line, { language, ignoreIllegals: true }).value)
}
