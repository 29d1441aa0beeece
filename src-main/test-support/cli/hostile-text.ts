// Text a hostile model, tool or log file may carry, and the check that none of it reaches a
// terminal: escape sequences (clipboard write, screen clear, title), a C1 CSI, bidi overrides.
export const HOSTILE_TEXT = '\x1b]52;c;ZXZpbA==\x07\x1b[2J\x1b]0;owned\x07\x9b31m\u202egnp.exe\r'

/** Control, C1 and bidi characters a terminal acts on (tab and newline are text). */
export const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/

const CARRIERS = new Set(['delta', 'text', 'arguments', 'output', 'refusal', 'message', 'reason', 'summary', 'data'])

/** `records` with the hostile text appended to every string the model, a tool or a server wrote. */
export function poisoned<T>(records: readonly T[]): T[] {
  const walk = (value: unknown, key: string): unknown => {
    if (typeof value === 'string') return CARRIERS.has(key) ? `${value}${HOSTILE_TEXT}` : value
    if (Array.isArray(value)) return value.map((entry) => walk(entry, key))
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]))
    return value
  }
  return records.map((record) => walk(record, '') as T)
}
