#!/usr/bin/env node
// tally INVOICE.json: prints the totals of an invoice file.
import { readFileSync } from 'node:fs'
import { invoiceTotals } from './invoice.js'
import { formatCents, parseAmount } from './money.js'

const [file] = process.argv.slice(2)
if (!file) {
  console.error('usage: tally INVOICE.json')
  process.exit(2)
}
const invoice = JSON.parse(readFileSync(file, 'utf8'))
const lines = invoice.lines.map((line) => ({ ...line, unitCents: parseAmount(line.unitPrice) }))
const totals = invoiceTotals(lines, invoice)
const rows = [
  ['Subtotal', totals.subtotal],
  ['Discount', -totals.discount],
  ['Tax', totals.tax],
  ['Total', totals.total]
]
for (const [label, cents] of rows) console.log(`${label.padEnd(10)}${formatCents(cents).padStart(12)}`)
