import { describe, expect, it } from 'vitest'
import { REPORT } from './report-fixture'
import { textReport } from './text-report'

describe('textReport', () => {
  const text = textReport(REPORT)
  const lines = text.split('\n')

  it('names the machine and the scenario, and prints one table per RTT with the floors beside it', () => {
    expect(lines.slice(0, 2)).toEqual(['Tether benchmarks, 2026-11-27T15:00:00.000Z', 'Machine: Test CPU, 2 cores, 8 GB, Node v20.20.2, Linux, load 0.5-0.7'])
    expect(text).toContain('TRANSPORT: spec-to-pr (16 turns, 30 tool calls), scripted model time 2360 ms, 30 ms per new TCP+TLS connection')
    expect(lines.filter((line) => line.startsWith('RTT '))).toEqual([
      "RTT 0 ms: network floor WebSocket 30, HTTP keep-alive 30, HTTP per turn 480; the sim's own time 1.25 ms per turn",
      'RTT 80 ms: network floor WebSocket 1390, HTTP keep-alive 1310, HTTP per turn 1760'
    ])
    expect(lines.find((line) => line.trimStart().startsWith('Tether, WebSocket'))?.trim().split(/\s{2,}/).slice(1, 5)).toEqual(['3100', '3110', '3000', '1.033x'])
  })

  it('quotes ratios and targets as measured and lists the throughput suites, missing ones included', () => {
    expect(text).toContain('  RTT  80: Tether, HTTP+SSE keep-alive / Tether, WebSocket = 1.200 (16.7% less time); without tool time 1.280')
    expect(text).toContain("  [met   ] RTT   0  Tether over WebSocket within 5% of the floor: 1.030 x floor (limit 1.050; 1.033 with the sim's own time left in)")
    expect(text).toContain('  foundation (reducer, replay, log append): node bench/foundation/run.mjs, ok in 1.5 s\n    reducer 1,000,000/s')
    expect(text).toContain('  ui (UI update pipeline): missing - bench/ui has no run.mjs or run.js')
    expect(text).toContain('  RTT   0: approval gate 12.5\n')
    expect(text).toContain("  one fdatasync of a small append in the runs' directory takes 0.50 ms (p50), 1.25 ms (p90) on this machine")
  })

  it("prints each client's CPU and main-thread busy time per call in the bench process, once per RTT", () => {
    const heading = lines.findIndex((line) => line.startsWith('CPU of the bench process per tool call'))
    expect(lines.slice(heading + 1, heading + 3)).toEqual([
      '  RTT   0: Tether, WebSocket 1.50 (1.25), Tether, HTTP+SSE keep-alive 1.50 (1.25)',
      '  RTT  80: Tether, WebSocket 1.50 (1.25), Tether, HTTP+SSE keep-alive 1.50 (1.25)'
    ])
  })
})
