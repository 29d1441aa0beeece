// What the model reads of a long output: the head and the tail, each line clamped, and one line
// in between that says how much was left out and where the whole output is.
import { assertNever } from '../../../common/run/records'

export interface ViewLimits {
  headChars: number
  tailChars: number
  /** Longer lines keep their start and say how many characters were cut. */
  lineChars: number
}

export const DEFAULT_VIEW_LIMITS: ViewLimits = { headChars: 6 * 1024, tailChars: 10 * 1024, lineChars: 1000 }

/** The whole text when it is known, otherwise its first and last parts with totals. */
export type ViewSource =
  | { kind: 'whole'; text: string }
  | { kind: 'ends'; head: string; tail: string; totalBytes: number; totalLines: number }

export interface ArtifactNote {
  path: string
  /** True when the artifact itself stopped at its size cap. */
  truncated: boolean
}

export function countLines(text: string): number {
  if (text.length === 0) return 0
  let lines = 0
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++
  return text.endsWith('\n') ? lines : lines + 1
}

function clampLines(text: string, lineChars: number): string {
  if (text.length <= lineChars) return text
  return text
    .split('\n')
    .map((line) => (line.length > lineChars ? `${line.slice(0, lineChars)} [... ${line.length - lineChars} more characters]` : line))
    .join('\n')
}

/** The first `chars` characters, ending at a line break when there is one. */
function headOf(text: string, chars: number): string {
  if (text.length <= chars) return text
  const cut = text.lastIndexOf('\n', chars - 1)
  return cut > 0 ? text.slice(0, cut + 1) : text.slice(0, chars)
}

/** The last `chars` characters, starting at a line start when there is one. */
function tailOf(text: string, chars: number): string {
  if (text.length <= chars) return text
  const start = text.length - chars
  const cut = text.indexOf('\n', start)
  return cut !== -1 && cut < text.length - 1 ? text.slice(cut + 1) : text.slice(start)
}

function omittedLine(bytes: number, lines: number, artifact: ArtifactNote | null): string {
  const what = `[... ${bytes.toLocaleString('en-US')} bytes in ${lines.toLocaleString('en-US')} lines omitted`
  if (artifact === null) return `${what} ...]`
  const where = artifact.truncated ? `the first part of the output is in ${artifact.path}` : `the full output is in ${artifact.path}`
  return `${what}; ${where} ...]`
}

function endsOf(source: ViewSource): { head: string; tail: string; totalBytes: number; totalLines: number } {
  switch (source.kind) {
    case 'whole':
      return { head: source.text, tail: source.text, totalBytes: Buffer.byteLength(source.text), totalLines: countLines(source.text) }
    case 'ends':
      return source
    default:
      return assertNever(source, 'view source')
  }
}

export function modelView(source: ViewSource, limits: ViewLimits, artifact: ArtifactNote | null): string {
  const budget = limits.headChars + limits.tailChars
  if (source.kind === 'whole' && source.text.length <= budget) {
    const clamped = clampLines(source.text, limits.lineChars)
    if (clamped === source.text || artifact === null) return clamped
    return `${clamped}${clamped.endsWith('\n') ? '' : '\n'}[long lines were shortened; the full output is in ${artifact.path}]`
  }
  const ends = endsOf(source)
  const head = headOf(ends.head, limits.headChars)
  const tail = tailOf(ends.tail, limits.tailChars)
  const omittedBytes = Math.max(0, ends.totalBytes - Buffer.byteLength(head) - Buffer.byteLength(tail))
  const omittedLines = Math.max(0, ends.totalLines - countLines(head) - countLines(tail))
  const headText = clampLines(head, limits.lineChars)
  const separator = headText.endsWith('\n') || headText.length === 0 ? '' : '\n'
  return `${headText}${separator}${omittedLine(omittedBytes, omittedLines, artifact)}\n${clampLines(tail, limits.lineChars)}`
}
