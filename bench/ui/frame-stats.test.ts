import { describe, expect, it } from 'vitest'
import { busyPerFrame, FRAME_MS, percentiles, rendererMainThread, type TraceEvent } from './frame-stats'

const main = { name: 'thread_name', ph: 'M', ts: 0, pid: 7, tid: 1, args: { name: 'CrRendererMain' } }
const task = (startMs: number, durationMs: number, tid = 1): TraceEvent => ({ name: 'RunTask', ph: 'X', ts: startMs * 1000, dur: durationMs * 1000, pid: 7, tid })

describe('frame statistics from a trace', () => {
  it('splits task time across the frame slots it overlaps', () => {
    const events = [main, task(2, 4), { ...task(FRAME_MS - 1, 3), name: 'ThreadControllerImpl::RunTask' }, task(40, 1, 2)]
    expect(rendererMainThread(events)).toEqual({ pid: 7, tid: 1 })
    const busy = busyPerFrame(events, { pid: 7, tid: 1 }, 0, 3 * FRAME_MS)
    expect(busy.map((ms) => Math.round(ms * 1000) / 1000)).toEqual([5, 2, 0])
  })

  it('clips tasks to the window and ends on awkward floating-point edges', () => {
    const events = [main, task(-5, 10), task(3 * FRAME_MS - 0.5, 2), task(0.1 + 0.2, 1e-9)]
    const busy = busyPerFrame(events, { pid: 7, tid: 1 }, 0, 3 * FRAME_MS)
    expect(busy.map((ms) => Math.round(ms * 1000) / 1000)).toEqual([5, 0, 0.5])
  })

  it('counts only the thread\'s own CPU time on the cpu clock', () => {
    const descheduled = { ...task(0, 10), tdur: 2500 }
    expect(busyPerFrame([main, descheduled], { pid: 7, tid: 1 }, 0, FRAME_MS, 'cpu')).toEqual([2.5])
    expect(busyPerFrame([main, descheduled], { pid: 7, tid: 1 }, 0, FRAME_MS, 'wall')).toEqual([10])
  })

  it('reads percentiles from the sorted values', () => {
    expect(percentiles(Array.from({ length: 100 }, (_, i) => i + 1))).toEqual({ p50: 51, p95: 96, p99: 100, max: 100 })
  })
})
