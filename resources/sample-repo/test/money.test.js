import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatCents, parseAmount, roundCents } from '../src/money.js'

test('parses amounts into cents', () => {
  assert.equal(parseAmount('12.34'), 1234)
  assert.equal(parseAmount('5'), 500)
  assert.equal(parseAmount('-0.5'), -50)
  assert.throws(() => parseAmount('twelve'), /not an amount/)
})

test('rounds half away from zero', () => {
  assert.equal(roundCents(2.5), 3)
  assert.equal(roundCents(-2.5), -3)
  assert.equal(roundCents(2.4), 2)
})

test('formats cents as dollars', () => {
  assert.equal(formatCents(1234), '$12.34')
  assert.equal(formatCents(5), '$0.05')
})

test('formats credits with a leading minus', () => {
  assert.equal(formatCents(-500), '-$5.00')
})
