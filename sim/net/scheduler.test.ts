import { describe, expect, it } from 'vitest'
import { DelayLine } from './delay-line'
import { Scheduler } from './scheduler'

describe('Scheduler', () => {
  it('never runs an action early, runs ties in insertion order, and honours cancel', async () => {
    const scheduler = new Scheduler()
    const start = scheduler.now()
    const ran: Array<{ name: string; lateness: number }> = []
    const record = (name: string, at: number) => () => ran.push({ name, lateness: scheduler.now() - at })
    for (const [name, delay] of [['c', 12], ['a', 3], ['b', 3], ['d', 0.4], ['e', 25]] as const) scheduler.at(start + delay, record(name, start + delay))
    const cancel = scheduler.at(start + 5, record('cancelled', start + 5))
    cancel()
    await scheduler.sleep(30)
    expect(ran.map((entry) => entry.name)).toEqual(['d', 'a', 'b', 'c', 'e'])
    for (const entry of ran) expect(entry.lateness).toBeGreaterThanOrEqual(0)
    scheduler.stop()
  })

  it('drops pending actions when stopped', async () => {
    const scheduler = new Scheduler()
    let ran = false
    scheduler.after(5, () => (ran = true))
    scheduler.stop()
    await new Promise((resolve) => setTimeout(resolve, 15))
    expect(ran).toBe(false)
  })
})

describe('DelayLine', () => {
  it('delivers in order after the latency, and a lowered latency never lets a message overtake', async () => {
    const scheduler = new Scheduler()
    let latency = 20
    const line = new DelayLine(scheduler, () => latency)
    const start = scheduler.now()
    const arrivals: Array<[string, number]> = []
    line.push(() => arrivals.push(['slow', scheduler.now() - start]))
    latency = 0
    line.push(() => arrivals.push(['fast', scheduler.now() - start]))
    await scheduler.sleep(30)
    expect(arrivals.map(([name]) => name)).toEqual(['slow', 'fast'])
    expect(arrivals[0]![1]).toBeGreaterThanOrEqual(20)
    expect(arrivals[1]![1]).toBeGreaterThanOrEqual(20)
    scheduler.stop()
  })

  it('delivers synchronously when there is no latency and nothing is queued', () => {
    const scheduler = new Scheduler()
    const line = new DelayLine(scheduler, () => 0)
    let delivered = false
    line.push(() => (delivered = true))
    expect(delivered).toBe(true)
    scheduler.stop()
  })
})
