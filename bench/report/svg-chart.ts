// A small hand-written SVG line chart: one or more panels of series against a shared x axis
// (RTT), a shared legend and a footer naming the machine. No chart library, no scripts, only
// elements every viewer renders the same.

export interface Series {
  label: string
  color: string
  dashed?: boolean
  /** Thicker line for the series the chart is about. */
  emphasis?: boolean
  points: Array<{ x: number; y: number }>
}

export interface Panel {
  title: string
  yLabel: string
  series: Series[]
}

export interface ChartSpec {
  title: string
  subtitle: string
  xLabel: string
  panels: Panel[]
  footer: string[]
}

const PANEL_WIDTH = 440
const PANEL_HEIGHT = 300
const MARGIN = { left: 64, right: 24, top: 92, bottom: 56 }
const LEGEND_ROW = 20
const FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\""

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function fixed(value: number): string {
  return (Math.round(value * 10) / 10).toString()
}

/** Round tick values covering [min, max]: steps of 1, 2 or 5 times a power of ten. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min]
  const rough = (max - min) / count
  const power = 10 ** Math.floor(Math.log10(rough))
  const step = ([1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power) as number
  const first = Math.floor(min / step)
  const last = Math.ceil(max / step - 1e-9)
  return Array.from({ length: last - first + 1 }, (_, index) => Number(((first + index) * step).toPrecision(12)))
}

function panelSvg(panel: Panel, xTicks: number[], xLabel: string, offsetX: number): string {
  const xs = panel.series.flatMap((series) => series.points.map((point) => point.x))
  const ys = panel.series.flatMap((series) => series.points.map((point) => point.y))
  const xMin = Math.min(...xTicks, ...xs)
  const xMax = Math.max(...xTicks, ...xs)
  const yTicks = niceTicks(Math.min(...ys) * 0.97, Math.max(...ys) * 1.02)
  const yMin = yTicks[0] as number
  const yMax = yTicks[yTicks.length - 1] as number
  const plotWidth = PANEL_WIDTH - MARGIN.left - MARGIN.right
  const plotHeight = PANEL_HEIGHT - 40 - MARGIN.bottom
  const left = offsetX + MARGIN.left
  const top = MARGIN.top
  const sx = (x: number): number => left + (xMax === xMin ? plotWidth / 2 : ((x - xMin) / (xMax - xMin)) * plotWidth)
  const sy = (y: number): number => top + plotHeight - (yMax === yMin ? plotHeight / 2 : ((y - yMin) / (yMax - yMin)) * plotHeight)
  const parts: string[] = []
  parts.push(`<text x="${left}" y="${top - 14}" font-size="14" font-weight="600" fill="#222">${escapeXml(panel.title)}</text>`)
  for (const tick of yTicks) {
    const y = fixed(sy(tick))
    parts.push(`<line x1="${left}" y1="${y}" x2="${left + plotWidth}" y2="${y}" stroke="#e3e3e3"/>`)
    parts.push(`<text x="${left - 8}" y="${y}" font-size="11" fill="#555" text-anchor="end" dominant-baseline="middle">${escapeXml(formatTick(tick))}</text>`)
  }
  for (const tick of xTicks) {
    const x = fixed(sx(tick))
    parts.push(`<line x1="${x}" y1="${top + plotHeight}" x2="${x}" y2="${top + plotHeight + 5}" stroke="#888"/>`)
    parts.push(`<text x="${x}" y="${top + plotHeight + 18}" font-size="11" fill="#555" text-anchor="middle">${escapeXml(formatTick(tick))}</text>`)
  }
  parts.push(`<line x1="${left}" y1="${top + plotHeight}" x2="${left + plotWidth}" y2="${top + plotHeight}" stroke="#888"/>`)
  parts.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}" stroke="#888"/>`)
  parts.push(`<text x="${left + plotWidth / 2}" y="${top + plotHeight + 38}" font-size="12" fill="#333" text-anchor="middle">${escapeXml(xLabel)}</text>`)
  parts.push(
    `<text x="${offsetX + 16}" y="${top + plotHeight / 2}" font-size="12" fill="#333" text-anchor="middle" transform="rotate(-90 ${offsetX + 16} ${fixed(top + plotHeight / 2)})">${escapeXml(panel.yLabel)}</text>`
  )
  // The emphasized series last, so lines that coincide with it do not hide it.
  const drawOrder = [...panel.series.filter((series) => !series.emphasis), ...panel.series.filter((series) => series.emphasis)]
  for (const series of drawOrder) {
    const points = [...series.points].sort((a, b) => a.x - b.x)
    const path = points.map((point, index) => `${index === 0 ? 'M' : 'L'}${fixed(sx(point.x))} ${fixed(sy(point.y))}`).join(' ')
    const width = series.emphasis ? 3 : 1.8
    parts.push(`<path d="${path}" fill="none" stroke="${series.color}" stroke-width="${width}"${series.dashed ? ' stroke-dasharray="6 4"' : ''} stroke-linejoin="round"/>`)
    if (!series.dashed) {
      for (const point of points) parts.push(`<circle cx="${fixed(sx(point.x))}" cy="${fixed(sy(point.y))}" r="${series.emphasis ? 4 : 3}" fill="${series.color}"/>`)
    }
  }
  return parts.join('\n')
}

function formatTick(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 2 })
}

function legendSvg(series: readonly Series[], top: number, width: number): { svg: string; height: number } {
  const columns = 2
  const columnWidth = (width - 2 * MARGIN.left) / columns
  const parts = series.map((entry, index) => {
    const x = MARGIN.left + (index % columns) * columnWidth
    const y = top + Math.floor(index / columns) * LEGEND_ROW
    return [
      `<line x1="${x}" y1="${y}" x2="${x + 26}" y2="${y}" stroke="${entry.color}" stroke-width="${entry.emphasis ? 3 : 2}"${entry.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${x + 34}" y="${y}" font-size="12" fill="#222" dominant-baseline="middle">${escapeXml(entry.label)}</text>`
    ].join('\n')
  })
  return { svg: parts.join('\n'), height: Math.ceil(series.length / columns) * LEGEND_ROW }
}

export function renderChart(spec: ChartSpec): string {
  const width = PANEL_WIDTH * spec.panels.length
  const xTicks = [...new Set(spec.panels.flatMap((panel) => panel.series.flatMap((series) => series.points.map((point) => point.x))))].sort((a, b) => a - b)
  const legendSeries = spec.panels[0]?.series ?? []
  const legendTop = PANEL_HEIGHT + MARGIN.top - 24
  const legend = legendSvg(legendSeries, legendTop, width)
  const footerTop = legendTop + legend.height + 16
  const height = footerTop + spec.footer.length * 16 + 8
  const body = [
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="30" font-size="17" font-weight="700" fill="#111">${escapeXml(spec.title)}</text>`,
    `<text x="${MARGIN.left}" y="52" font-size="12" fill="#444">${escapeXml(spec.subtitle)}</text>`,
    ...spec.panels.map((panel, index) => panelSvg(panel, xTicks, spec.xLabel, index * PANEL_WIDTH)),
    legend.svg,
    ...spec.footer.map((line, index) => `<text x="${MARGIN.left}" y="${footerTop + index * 16}" font-size="11" fill="#666">${escapeXml(line)}</text>`)
  ]
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} role="img" aria-label="${escapeXml(spec.title)}">`,
    `<title>${escapeXml(spec.title)}</title>`,
    ...body,
    '</svg>',
    ''
  ].join('\n')
}
