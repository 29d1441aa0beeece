import { afterEach, describe, expect, it } from 'vitest'
import { LEDGER } from '../../test-support/driver/ledger-scenario'
import { driverFixture, type DriverFixture } from '../../test-support/driver/driver-fixture'

let fixture: DriverFixture | null = null
afterEach(async () => {
  await fixture?.cleanup()
  fixture = null
})

describe('SSE transport connections', () => {
  it('keeps one TCP connection alive across the turns of a run', async () => {
    fixture = await driverFixture({ scenario: LEDGER })
    const driver = await fixture.start('Keep a ledger.', { transport: 'sse' })
    expect(await driver.run()).toBe('completed')
    await driver.close()
    expect(driver.state.turns.map((turn) => turn.transport)).toEqual(['sse', 'sse', 'sse', 'sse'])
    expect({ requests: fixture.sim.stats().httpRequests, connections: fixture.sim.stats().tcpConnections }).toEqual({ requests: 4, connections: 1 })
  })

  it('opens a new connection for every turn when asked to', async () => {
    fixture = await driverFixture({ scenario: LEDGER })
    const driver = await fixture.start('Keep a ledger.', { transport: 'sse', sse: { newConnectionPerTurn: true } })
    expect(await driver.run()).toBe('completed')
    await driver.close()
    expect({ requests: fixture.sim.stats().httpRequests, connections: fixture.sim.stats().tcpConnections }).toEqual({ requests: 4, connections: 4 })
  })
})
