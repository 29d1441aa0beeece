import assert from 'node:assert/strict'
import { test } from 'node:test'
import { invoiceTotals, lineTotal } from '../src/invoice.js'

const lines = [
  { description: 'Widget', quantity: 3, unitCents: 4000 },
  { description: 'Setup', quantity: 1, unitCents: 6000 }
]

test('multiplies quantity by unit price', () => {
  assert.equal(lineTotal({ quantity: 3, unitCents: 333 }), 999)
})

test('adds up line totals', () => {
  assert.equal(invoiceTotals(lines).subtotal, 18000)
})

test('charges tax on the subtotal', () => {
  assert.deepEqual(invoiceTotals(lines, { taxRate: 0.2 }), { subtotal: 18000, discount: 0, tax: 3600, total: 21600 })
})

test('applies the discount before tax', () => {
  assert.deepEqual(invoiceTotals(lines, { discountPercent: 10, taxRate: 0.2 }), { subtotal: 18000, discount: 1800, tax: 3240, total: 19440 })
})
