import { roundCents } from './money.js'

/** The amount of one line in cents: quantity x unit price. */
export function lineTotal(line) {
  return roundCents(line.quantity * line.unitCents)
}

/**
 * Totals of an invoice in cents. `discountPercent` (0-100) reduces the subtotal; `taxRate`
 * (0.2 for 20%) is charged on top.
 */
export function invoiceTotals(lines, { discountPercent = 0, taxRate = 0 } = {}) {
  const subtotal = lines.reduce((sum, line) => sum + lineTotal(line), 0)
  const discount = roundCents((subtotal * discountPercent) / 100)
  const tax = roundCents(subtotal * taxRate)
  return { subtotal, discount, tax, total: subtotal - discount + tax }
}
