// The report as text for a terminal: tables per variant and RTT, ratios, targets, Tether's
// profile, then the throughput suites' own output.
import type { ClientId } from '../transport/clients/client'
import type { ClientSummary } from '../transport/results'
import type { BenchReport, TransportSection } from './document'
import { describeMachine } from './machine'

const PROFILE_LABELS: Record<string, string> = {
  startMs: 'start (log created, task synced)',
  toolStartedSyncMs: 'tool.started fsync and checkpoint (calls that change something; not the wait for the call before)',
  toolFinishedSyncMs: 'tool.finished to done (its fsync runs alongside)',
  gateMs: 'approval gate',
  hostRoundTripMs: 'tool host round trip',
  responseToToolsMs: 'response end -> first tool',
  toolsToRequestMs: 'last tool -> next request',
  finishMs: 'last response -> run finished',
  callsRunEarly: 'calls started while their response streamed, count',
  approvalsByPerson: 'calls put to the (instant) person, count',
  approvalsSettled: 'approvals the mode or a rule settled, count',
  fsyncs: 'fdatasync calls, count',
  fsyncMs: 'time in fdatasync'
}

function ms(value: number, digits = 0): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-'
}

function labelOf(section: TransportSection, id: ClientId): string {
  return section.clients.find((client) => client.id === id)?.label ?? id
}

function table(rows: readonly ClientSummary[], withRender: boolean): string[] {
  const render = (text: string): string => (withRender ? text.padStart(8) : '')
  const header = `  ${'client'.padEnd(42)}${'e2e'.padStart(7)}${'p90'.padStart(7)}${'floor'.padStart(7)}${'e2e/floor'.padStart(10)}${'overhead/call'.padStart(15)}${'net/call'.padStart(10)}${'e2e-tools'.padStart(11)}${render('render')}${'bytes/turn'.padStart(12)}${'conns'.padStart(7)}`
  return [
    header,
    ...rows.map(
      (row) =>
        `  ${row.label.padEnd(42)}${ms(row.e2eMs).padStart(7)}${ms(row.e2eP90Ms).padStart(7)}${ms(row.floorMs).padStart(7)}${`${row.vsFloor.toFixed(3)}x`.padStart(10)}${`${ms(row.overheadPerCallMs, 2)} ms`.padStart(15)}${`${ms(row.clientOverheadPerCallMs, 2)} ms`.padStart(10)}${ms(row.e2eWithoutToolsMs).padStart(11)}${render(ms(row.renderMs))}${ms(row.bytesPerTurn).padStart(12)}${String(row.tcpConnections).padStart(7)}`
    )
  ]
}

function transportText(section: TransportSection): string[] {
  const { config } = section
  const first = section.floors[0]
  const lines = [
    `TRANSPORT: ${config.scenario} (${first?.turns ?? '?'} turns, ${first?.toolCalls ?? '?'} tool calls), scripted model time ${ms(first?.modelMs ?? Number.NaN)} ms, ${config.handshakeMs} ms per new TCP+TLS connection`,
    `Medians of ${config.repetitions} interleaved runs per client and RTT after ${config.warmups} warm-up run(s); all times in ms.`,
    'floor = model time + emulated network for the client\'s connection pattern + the run\'s measured tool time + the longer of its sandbox setup and its first connection (a client can open both at once); overhead = e2e - floor;',
    'net/call = (overhead - the sim\'s own time, measured by a bare WebSocket probe every round) / tool calls; e2e-tools = e2e - tool and sandbox time;',
    'render = server-side re-rendering the requests caused (render-cost variant); bytes/turn = request bodies (HTTP body or WebSocket message), headers not counted.',
    ''
  ]
  const variants = [...new Set(section.results.map((row) => row.variant))]
  for (const variant of variants) {
    const rtts = [...new Set(section.results.filter((row) => row.variant === variant).map((row) => row.rttMs))].sort((a, b) => a - b)
    for (const rttMs of rtts) {
      const floor = section.floors.find((entry) => entry.variant === variant && entry.rttMs === rttMs)
      const calibration = section.calibrations.find((entry) => entry.variant === variant && entry.rttMs === rttMs)
      const title = variant === 'base' ? `RTT ${rttMs} ms` : `${variant} (${config.renderCostPerItemMs} ms per re-rendered input item), RTT ${rttMs} ms`
      lines.push(
        `${title}: network floor ${floor ? `WebSocket ${ms(floor.networkMs.websocket)}, HTTP keep-alive ${ms(floor.networkMs['http-keep-alive'])}, HTTP per turn ${ms(floor.networkMs['http-per-turn'])}` : '-'}${calibration ? `; the sim's own time ${ms(calibration.perTurnMs, 2)} ms per turn` : ''}`
      )
      lines.push(...table(section.results.filter((row) => row.variant === variant && row.rttMs === rttMs), variant !== 'base'), '')
    }
  }
  lines.push('WebSocket against HTTP, end-to-end medians (HTTP / WebSocket; above 1 means the WebSocket run was faster):')
  for (const ratio of section.ratios) {
    lines.push(
      `  ${ratio.variant === 'base' ? '' : `${ratio.variant} `}RTT ${String(ratio.rttMs).padStart(3)}: ${labelOf(section, ratio.http)} / ${labelOf(section, ratio.websocket)} = ${ratio.ratio.toFixed(3)} (${ratio.savedPercent.toFixed(1)}% less time); without tool time ${ratio.ratioWithoutTools.toFixed(3)}`
    )
  }
  lines.push('', "Targets (base variant, medians; judged with the sim's own time, measured by the bare probe each round, taken out):")
  for (const check of section.targets) {
    lines.push(
      `  [${check.met ? 'met   ' : 'missed'}] RTT ${String(check.rttMs).padStart(3)}  ${check.target}: ${check.measured.toFixed(3)} ${check.unit} (limit ${check.limit.toFixed(3)}; ${check.measuredRaw.toFixed(3)} with the sim's own time left in)`
    )
  }
  const tetherRows = section.results.filter((row) => row.client === 'tether-ws' && row.variant === 'base')
  if (tetherRows.length > 0) {
    lines.push(
      '',
      "Where Tether over WebSocket spends its own time, per run (medians, ms); host round trips are paid by every client, the syncs overlap where calls run in parallel:",
      `  one fdatasync of a small append in the runs' directory takes ${section.diskSync.p50Ms.toFixed(2)} ms (p50), ${section.diskSync.p90Ms.toFixed(2)} ms (p90) on this machine`
    )
    for (const row of tetherRows) {
      const parts = Object.entries(row.profile)
        .filter(([key]) => key !== 'cpuPerCallMs' && key !== 'busyPerCallMs')
        .map(([key, value]) => `${PROFILE_LABELS[key] ?? key} ${value.toFixed(1)}`)
      lines.push(`  RTT ${String(row.rttMs).padStart(3)}: ${parts.join(', ')}`)
    }
  }
  const baseRows = section.results.filter((row) => row.variant === 'base' && row.profile.cpuPerCallMs !== undefined)
  if (baseRows.length > 0) {
    lines.push(
      '',
      "CPU of the bench process per tool call, user + system, and in brackets the time its main thread was busy (medians, ms; every client runs in it, the sim and the tool host are processes of their own):"
    )
    for (const rttMs of [...new Set(baseRows.map((row) => row.rttMs))]) {
      const parts = baseRows
        .filter((row) => row.rttMs === rttMs)
        .map((row) => `${row.label} ${ms(row.profile.cpuPerCallMs ?? Number.NaN, 2)} (${ms(row.profile.busyPerCallMs ?? Number.NaN, 2)})`)
      lines.push(`  RTT ${String(rttMs).padStart(3)}: ${parts.join(', ')}`)
    }
  }
  return lines
}

function throughputText(report: BenchReport): string[] {
  if (!report.throughput) return []
  const lines = ['THROUGHPUT (the other parts\' benchmarks, run as their own scripts)']
  for (const suite of report.throughput) {
    if (suite.status === 'missing') {
      lines.push(`  ${suite.name} (${suite.covers}): missing - ${suite.reason}`)
      continue
    }
    lines.push(`  ${suite.name} (${suite.covers}): ${suite.command}, ${suite.status} in ${(suite.durationMs / 1000).toFixed(1)} s`)
    const body = suite.text ?? JSON.stringify(suite.json, null, 2)
    lines.push(...body.split('\n').map((line) => `    ${line}`))
    if (suite.stderr) lines.push(...suite.stderr.split('\n').map((line) => `    ! ${line}`))
  }
  return lines
}

export function textReport(report: BenchReport): string {
  const lines = [`Tether benchmarks, ${report.generatedAt}`, `Machine: ${describeMachine(report.machine)}`, '']
  if (report.transport) lines.push(...transportText(report.transport), '')
  lines.push(...throughputText(report))
  return `${lines.join('\n').trimEnd()}\n`
}
