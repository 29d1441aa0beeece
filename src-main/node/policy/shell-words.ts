// Quote and escape rules of bash, applied to word text the parser has already split.

/** Removes backslash escapes from unquoted text; a backslash-newline is a line continuation. */
export function unescapeUnquoted(text: string): string {
  return text.replace(/\\(\n|[\s\S])/g, (_match, char: string) => (char === '\n' ? '' : char))
}

/** Inside double quotes a backslash only escapes `$`, backtick, `"`, `\` and newline. */
export function unescapeDoubleQuoted(text: string): string {
  return text.replace(/\\([$`"\\\n])/g, (_match, char: string) => (char === '\n' ? '' : char))
}

const SIMPLE_ANSI_C_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?'
}

/** Decodes the body of a `$'...'` string the way bash does. */
export function decodeAnsiC(body: string): string {
  return body.replace(
    /\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8})|c([\s\S])|([\s\S]))/g,
    (match, octal?: string, hex?: string, u4?: string, u8?: string, control?: string, other?: string) => {
      if (octal !== undefined) return String.fromCharCode(parseInt(octal, 8) & 0xff)
      if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16))
      const codePoint = u4 ?? u8
      if (codePoint !== undefined) {
        const value = parseInt(codePoint, 16)
        return value <= 0x10ffff ? String.fromCodePoint(value) : match
      }
      if (control !== undefined) return String.fromCharCode(control.toUpperCase().charCodeAt(0) & 0x1f)
      return SIMPLE_ANSI_C_ESCAPES[other ?? ''] ?? match
    }
  )
}

/** Unescaped `*`, `?` or `[` in unquoted text. */
export function hasUnquotedGlob(unquotedSource: string): boolean {
  return /(^|[^\\])(\\\\)*[*?[]/.test(unquotedSource)
}

/** A shell glob (`*`, `?`, `[...]`, `[!...]`) as an anchored regular expression; null when it is not a valid one. */
export function globRegExp(pattern: string): RegExp | null {
  const source = pattern
    .replace(/[.+^$(){}|\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
    .replace(/\[!/g, '[^')
  try {
    return new RegExp(`^${source}$`)
  } catch {
    return null
  }
}

/** `{a,b}` or `{1..3}` in the unquoted parts of a word (the parser keeps these as plain words). */
export function hasBraceExpansion(unquotedSource: string): boolean {
  return /\{[^{}]*(,|\.\.)[^{}]*\}/.test(unquotedSource)
}

/** Characters that other readers (terminals, logs, other shells) may take as the start of a new line. */
export const LINE_LIKE_SEPARATORS = /[\r\v\f\u0085\u2028\u2029]/g

const BRACE_RANGE = /^(-?\d+|[a-zA-Z])\.\.(-?\d+|[a-zA-Z])(?:\.\.(-?\d+))?$/

function rangeParts(body: string, limit: number): string[] | null {
  const match = BRACE_RANGE.exec(body)
  if (!match) return null
  const [, from = '', to = '', stepText] = match
  const numeric = /\d/.test(from) && /\d/.test(to)
  if (!numeric && (/\d/.test(from) || /\d/.test(to))) return null
  const start = numeric ? parseInt(from, 10) : from.charCodeAt(0)
  const end = numeric ? parseInt(to, 10) : to.charCodeAt(0)
  const step = Math.max(1, Math.abs(parseInt(stepText ?? '1', 10) || 1))
  const count = Math.floor(Math.abs(end - start) / step) + 1
  if (count > limit) return null
  const direction = end >= start ? 1 : -1
  return Array.from({ length: count }, (_, index) => {
    const value = start + index * step * direction
    return numeric ? String(value) : String.fromCharCode(value)
  })
}

/**
 * The words a brace expansion (`{a,b}`, `{1..3}`) produces, as bash would; null when there would
 * be more than `limit` of them.
 */
export function expandBraces(text: string, limit = 256): string[] | null {
  for (let open = text.indexOf('{'); open !== -1; open = text.indexOf('{', open + 1)) {
    let depth = 0
    let close = -1
    const commas: number[] = []
    for (let index = open; index < text.length && close === -1; index += 1) {
      const char = text[index]
      if (char === '{') depth += 1
      else if (char === '}') {
        depth -= 1
        if (depth === 0) close = index
      } else if (char === ',' && depth === 1) commas.push(index)
    }
    if (close === -1) continue
    const body = text.slice(open + 1, close)
    const parts =
      commas.length > 0
        ? [open, ...commas].map((start, index) => text.slice(start + 1, commas[index] ?? close))
        : rangeParts(body, limit)
    if (parts === null) continue
    const results: string[] = []
    for (const part of parts) {
      const expanded = expandBraces(`${text.slice(0, open)}${part}${text.slice(close + 1)}`, limit)
      if (expanded === null) return null
      results.push(...expanded)
      if (results.length > limit) return null
    }
    return results
  }
  return [text]
}
