// xAI refuses `instructions` beside `previous_response_id` (the sim's xAI dialect does the same):
// Tether leaves them out of an xAI continuation, and still sends them with a full resend.
import { afterEach, describe, expect, it } from 'vitest'
import { driverFixture, type DriverFixture } from '../../test-support/driver/driver-fixture'
import { LEDGER } from '../../test-support/driver/ledger-scenario'

let fixture: DriverFixture | null = null
afterEach(async () => {
  await fixture?.cleanup()
  fixture = null
})

function sentCreates(fixture: DriverFixture): Record<string, unknown>[] {
  return fixture.sim.received.flatMap((message) => {
    const body = message.body as Record<string, unknown> | undefined
    return body && (body.type === 'response.create' || body.input !== undefined) ? [body] : []
  })
}

describe('an xAI continuation', () => {
  it('carries no instructions, and the run continues incrementally', async () => {
    fixture = await driverFixture({ scenario: LEDGER, dialect: 'xai' })
    const driver = await fixture.start('Keep a ledger.', { provider: { name: 'xai', baseUrl: fixture.sim.baseUrl, apiKey: 'test-key' } })
    expect(await driver.run()).toBe('completed')
    await driver.close()
    expect(driver.state.turns.map((turn) => turn.mode)).toEqual(['full', 'incremental', 'incremental', 'incremental'])
    expect(sentCreates(fixture).map((body) => [body.previous_response_id !== undefined, body.instructions !== undefined])).toEqual([
      [false, true],
      [true, false],
      [true, false],
      [true, false]
    ])
    expect(driver.state.errors).toEqual([])
  })

  it('sent with instructions, is refused in xAI words and recovered by a full resend', async () => {
    fixture = await driverFixture({ scenario: LEDGER, dialect: 'xai' })
    const driver = await fixture.start('Keep a ledger.', { transport: 'sse', provider: { name: 'custom', baseUrl: fixture.sim.baseUrl, apiKey: 'test-key' }, store: true })
    expect(await driver.run()).toBe('completed')
    await driver.close()
    expect(driver.state.errors[0]).toMatchObject({ source: 'request', message: expect.stringMatching(/^HTTP 400: Invalid request: instructions cannot be used together with previous_response_id/) })
  })
})
