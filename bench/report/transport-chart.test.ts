import { describe, expect, it } from 'vitest'
import { REPORT } from './report-fixture'
import { transportChart } from './transport-chart'

describe('transportChart', () => {
  const transport = REPORT.transport!
  const svg = transportChart({ summaries: transport.results, floors: transport.floors, scenario: 'spec-to-pr', handshakeMs: 30, machine: REPORT.machine, generatedAt: '2026-11-27' })

  it('draws every client and the floor in both panels and names the machine', () => {
    expect(svg.match(/<path /g)).toHaveLength(2 * 3)
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(2 + 1)
    expect(svg).toContain('>End-to-end time</text>')
    expect(svg).toContain('>End-to-end minus tool time</text>')
    expect(svg).toContain('Measured on Test CPU, 2 cores, 8 GB, Node v20.20.2, Linux, load 0.5-0.7; 2026-11-27.')
    expect(svg).toContain('Medians of 3 runs per point')
  })

  it('keeps its footnotes inside the chart (11 px text, at most 0.6 em a character)', () => {
    const width = Number(svg.match(/width="(\d+)"/)?.[1])
    const footnotes = [...svg.matchAll(/<text x="(\d+)" y="\d+" font-size="11" fill="#666">([^<]*)<\/text>/g)]
    expect(footnotes.map((match) => match[2]).slice(0, 2)).toEqual([
      'Floor = scripted model time + emulated network, the socket opening while the sandbox starts',
      '(left panel: + the median measured tool and sandbox time).'
    ])
    for (const [, x, text] of footnotes) expect(Number(x) + text!.length * 11 * 0.6).toBeLessThanOrEqual(width)
  })

  it('puts the floor of the left panel at model + WebSocket network + median tool time', () => {
    // RTT 80: 2360 + 1390 + (950 + 50) ms = 4.75 s; RTT 0: 2360 + 30 + 1000 = 3.39 s. Both lie on the dashed path.
    const floorPath = [...svg.matchAll(/<path d="([^"]+)"[^>]*stroke="#555555"/g)][0]?.[1]
    expect(floorPath?.split(/(?=[ML])/)).toHaveLength(2)
  })
})
