// How text that a person must judge (a command, a reason, a rule) is shown: every character that
// displays differently from how it runs is written as an escape, so a terminal or a dialog never
// renders it. Shared by the CLI prompt, `tether classify` and the app's approval dialog.

/**
 * Characters that hide or disguise text: C0 controls except tab and newline (ESC, CR, ...), DEL,
 * C1 controls, bidi marks, overrides and isolates, zero-width and invisible characters, variation
 * selectors, Unicode tag characters, spaces that look like a separator but are not one, and lone
 * surrogates.
 */
export const HIDDEN_CHARACTER =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u00a0\u00ad\u034f\u061c\u115f\u1160\u1680\u17b4\u17b5\u180b-\u180f\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\u{e0000}-\u{e0fff}]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u

const HIDDEN_CHARACTERS = new RegExp(HIDDEN_CHARACTER.source, 'gu')

/** Runs of blank space this long push the rest of a command out of sight. */
export const PADDING_SPACES = 24
export const PADDING_LINES = 6

const PADDING = new RegExp(`[ \\t]{${PADDING_SPACES},}|(?:[ \\t]*\\n){${PADDING_LINES},}`, 'g')

function hex(code: number, digits: number): string {
  return code.toString(16).padStart(digits, '0')
}

/** The escape that stands for one hidden character: `\x1b`, `\u202e`, `\u{e0041}`. */
export function escapeCharacter(character: string): string {
  const code = character.codePointAt(0) ?? 0
  if (code <= 0xff) return `\\x${hex(code, 2)}`
  if (code <= 0xffff) return `\\u${hex(code, 4)}`
  return `\\u{${hex(code, 5)}}`
}

/** The hidden characters in `text`, each once, as escapes (`\x1b`, `\u202e`). */
export function hiddenCharactersIn(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(HIDDEN_CHARACTERS), (match) => escapeCharacter(match[0])))]
}

/** `text` with every hidden character removed, as a reader that ignores them would see it. */
export function withoutHiddenCharacters(text: string): string {
  return text.replace(HIDDEN_CHARACTERS, '')
}

/** Blank runs long enough to push text out of sight: `<400 spaces>` for 400 blanks on one line. */
export function hasPadding(text: string): boolean {
  PADDING.lastIndex = 0
  return PADDING.test(text)
}

/**
 * `text` as it may be written to a person's terminal: hidden characters escaped (so no escape
 * sequence, C1 control or bidi override from a model or a repository reaches the terminal),
 * newlines, tabs and blank runs kept as they are. For prose and output, not for commands a
 * person approves (those go through `escapeForDisplay`).
 */
export function escapeForTerminal(text: string): string {
  return text.replace(HIDDEN_CHARACTERS, escapeCharacter)
}

/** Colour and style sequences (SGR) that tools print, dropped before their output is escaped. */
const STYLE_SEQUENCES = /\x1b\[[0-9;:]*m/g

/** Tool output for a terminal: its colours dropped, every other control escaped. */
export function terminalSafeOutput(text: string): string {
  return escapeForTerminal(text.replace(STYLE_SEQUENCES, ''))
}

/**
 * `text` as it may be shown to a person: hidden characters escaped, long runs of blanks shown as
 * their length. Tabs and newlines stay (commands have several lines), unless they pad.
 */
export function escapeForDisplay(text: string): string {
  return text
    .replace(HIDDEN_CHARACTERS, escapeCharacter)
    .replace(PADDING, (run) => {
      const lines = run.split('\n').length - 1
      return lines >= PADDING_LINES ? `\n<${lines} blank lines>\n` : `<${run.length} blanks>`
    })
}

const PATH_HIDDEN = new RegExp(`${HIDDEN_CHARACTER.source}|[\\t\\n\\\\]`, 'gu')

/**
 * A file name or path as it may be shown on one line: every hidden character, newline, tab and
 * backslash escaped, so a name cannot fake a line, move the cursor or reorder what is shown. A
 * byte that is not UTF-8 (carried as U+DC80..U+DCFF, see the snapshot store) shows as `\xff`.
 */
export function escapePath(path: string): string {
  return path.replace(PATH_HIDDEN, (character) => {
    const code = character.charCodeAt(0)
    if (character === '\\') return '\\\\'
    if (character === '\n') return '\\n'
    if (character === '\t') return '\\t'
    if (character.length === 1 && code >= 0xdc80 && code <= 0xdcff) return `\\x${hex(code - 0xdc00, 2)}`
    return escapeCharacter(character)
  })
}
