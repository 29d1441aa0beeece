import { describe, expect, it } from 'vitest'
import { niceTicks, renderChart } from './svg-chart'

describe('niceTicks', () => {
  it('covers the range with steps of 1, 2 or 5 times a power of ten', () => {
    expect(niceTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10])
    expect(niceTicks(3.1, 4.9)).toEqual([3, 3.5, 4, 4.5, 5])
    expect(niceTicks(2.4, 2.41)).toEqual([2.4, 2.405, 2.41])
    expect(niceTicks(7, 7)).toEqual([7])
  })
})

describe('renderChart', () => {
  const chart = renderChart({
    title: 'A <run> & its time',
    subtitle: 'medians',
    xLabel: 'round-trip time (ms)',
    panels: [
      {
        title: 'End-to-end time',
        yLabel: 'seconds',
        series: [
          { label: 'Tether, WebSocket', color: '#1559c7', emphasis: true, points: [{ x: 0, y: 3 }, { x: 80, y: 4 }, { x: 20, y: 3.2 }] },
          { label: 'Floor', color: '#555555', dashed: true, points: [{ x: 0, y: 2.9 }, { x: 80, y: 3.8 }] }
        ]
      }
    ],
    footer: ['Measured on a test machine.']
  })

  it('is one self-contained SVG document with escaped text', () => {
    expect(chart.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(chart.trimEnd().endsWith('</svg>')).toBe(true)
    expect(chart).toContain('<title>A &lt;run&gt; &amp; its time</title>')
    expect(chart).not.toMatch(/<script|href=/)
  })

  it('draws each series as a path in x order (the emphasized one on top), markers for solid series only, and a legend and footer', () => {
    const paths = [...chart.matchAll(/<path d="([^"]+)"[^>]*stroke="(#[0-9a-f]{6})"/g)].map((match) => ({ color: match[2], moves: (match[1] ?? '').split(/(?=[ML])/).length }))
    expect(paths).toEqual([
      { color: '#555555', moves: 2 },
      { color: '#1559c7', moves: 3 }
    ])
    expect(chart.match(/<circle /g)).toHaveLength(3)
    expect(chart).toContain('stroke-dasharray="6 4"')
    expect(['Tether, WebSocket', 'Floor', 'Measured on a test machine.', 'round-trip time (ms)'].every((text) => chart.includes(`>${text}</text>`))).toBe(true)
    const xs = [...chart.matchAll(/<path d="M([\d.]+) [\d.]+ L([\d.]+) [\d.]+ L([\d.]+)/g)].flatMap((match) => [Number(match[1]), Number(match[2]), Number(match[3])])
    expect(xs).toEqual([...xs].sort((a, b) => a - b))
  })
})
