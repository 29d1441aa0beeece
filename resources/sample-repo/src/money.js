// Money is handled in integer cents so totals never pick up floating-point dust.

/** Rounds a fractional number of cents half away from zero. */
export function roundCents(value) {
  return Math.sign(value) * Math.round(Math.abs(value))
}

/** Parses "12.34", "5" or "-0.5" into cents. */
export function parseAmount(text) {
  const match = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(String(text).trim())
  if (!match) throw new Error(`not an amount: ${text}`)
  const cents = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'))
  return match[1] ? -cents : cents
}

/** Formats cents as dollars: 1234 -> "$12.34". */
export function formatCents(cents) {
  return `$${(cents / 100).toFixed(2)}`
}
