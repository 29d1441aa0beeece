// What the transport numbers say: WebSocket-against-HTTP ratios as measured, and the targets of
// the benchmark checked against the medians (no tolerance added in anyone's favour).
import type { ClientId } from '../transport/clients/client'
import type { ClientSummary } from '../transport/results'

export interface TransportRatio {
  variant: string
  rttMs: number
  /** The client on the persistent socket and the HTTP one it is compared with. */
  websocket: ClientId
  http: ClientId
  /** http e2e / websocket e2e (medians): above 1 means the WebSocket run was faster. */
  ratio: number
  /** 1 - websocket / http, in percent: the share of the HTTP run's time the socket saved. */
  savedPercent: number
  /** The same ratio with each run's tool and sandbox time taken out first. */
  ratioWithoutTools: number
}

/**
 * Judged on the client's own numbers: the sim's own processing time (measured each round by the
 * bare probe) is taken out first. `measuredRaw` is the same number with it left in.
 */
export interface TargetCheck {
  target: string
  rttMs: number
  measured: number
  measuredRaw: number
  limit: number
  unit: string
  met: boolean
}

export const RATIO_PAIRS: ReadonlyArray<{ websocket: ClientId; http: ClientId }> = [
  { websocket: 'tether-ws', http: 'tether-sse' },
  { websocket: 'tether-ws', http: 'tether-sse-per-turn' },
  { websocket: 'sdk-ws', http: 'sdk-http' }
]

const PEERS: readonly ClientId[] = ['sdk-http', 'sdk-ws', 'agents-ws']
export const FLOOR_TOLERANCE = 1.05
export const OVERHEAD_PER_CALL_LIMIT_MS = 2
/** Tether's overhead per call at RTT 0 against the SDK's bare WebSocket loop, in the same run. */
export const OVERHEAD_AGAINST_SDK_LIMIT = 3

function find(summaries: readonly ClientSummary[], variant: string, rttMs: number, client: ClientId): ClientSummary | undefined {
  return summaries.find((summary) => summary.variant === variant && summary.rttMs === rttMs && summary.client === client)
}

function groups(summaries: readonly ClientSummary[]): Array<{ variant: string; rttMs: number }> {
  const seen = new Map<string, { variant: string; rttMs: number }>()
  for (const { variant, rttMs } of summaries) seen.set(`${variant}\u0000${rttMs}`, { variant, rttMs })
  return [...seen.values()]
}

export function transportRatios(summaries: readonly ClientSummary[]): TransportRatio[] {
  return groups(summaries).flatMap(({ variant, rttMs }) =>
    RATIO_PAIRS.flatMap(({ websocket, http }) => {
      const ws = find(summaries, variant, rttMs, websocket)
      const overHttp = find(summaries, variant, rttMs, http)
      if (!ws || !overHttp) return []
      return [
        {
          variant,
          rttMs,
          websocket,
          http,
          ratio: overHttp.e2eMs / ws.e2eMs,
          savedPercent: (1 - ws.e2eMs / overHttp.e2eMs) * 100,
          ratioWithoutTools: overHttp.e2eWithoutToolsMs / ws.e2eWithoutToolsMs
        }
      ]
    })
  )
}

/** The targets, on the base variant: Tether's WebSocket run against the floor and against the peers. */
export function targetChecks(summaries: readonly ClientSummary[], variant = 'base'): TargetCheck[] {
  const checks: TargetCheck[] = []
  for (const { rttMs } of groups(summaries).filter((group) => group.variant === variant).sort((a, b) => a.rttMs - b.rttMs)) {
    const tether = find(summaries, variant, rttMs, 'tether-ws')
    if (!tether) continue
    checks.push({
      target: 'Tether over WebSocket within 5% of the floor',
      rttMs,
      measured: tether.vsFloorNet,
      measuredRaw: tether.vsFloor,
      limit: FLOOR_TOLERANCE,
      unit: 'x floor',
      met: tether.vsFloorNet <= FLOOR_TOLERANCE
    })
    const peers = PEERS.flatMap((peer) => find(summaries, variant, rttMs, peer) ?? [])
    if (peers.length > 0) {
      const best = Math.min(...peers.map((peer) => peer.clientOverheadPerCallMs))
      checks.push({
        target: "Tether's overhead per tool call no worse than the best peer's",
        rttMs,
        measured: tether.clientOverheadPerCallMs,
        measuredRaw: tether.overheadPerCallMs,
        limit: best,
        unit: 'ms per call',
        met: tether.clientOverheadPerCallMs <= best
      })
    }
    if (rttMs === 0) {
      checks.push({
        target: "Tether's overhead per tool call under 2 ms at RTT 0",
        rttMs,
        measured: tether.clientOverheadPerCallMs,
        measuredRaw: tether.overheadPerCallMs,
        limit: OVERHEAD_PER_CALL_LIMIT_MS,
        unit: 'ms per call',
        met: tether.clientOverheadPerCallMs < OVERHEAD_PER_CALL_LIMIT_MS
      })
      const sdk = find(summaries, variant, rttMs, 'sdk-ws')
      if (sdk) {
        // A loaded machine can make the SDK's net overhead zero or less: then there is no ratio to judge.
        const measured = sdk.clientOverheadPerCallMs > 0 ? tether.clientOverheadPerCallMs / sdk.clientOverheadPerCallMs : Number.POSITIVE_INFINITY
        checks.push({
          target: "Tether's overhead per tool call within 3x the SDK WebSocket loop's",
          rttMs,
          measured,
          measuredRaw: tether.overheadPerCallMs / sdk.overheadPerCallMs,
          limit: OVERHEAD_AGAINST_SDK_LIMIT,
          unit: 'x the SDK',
          met: measured <= OVERHEAD_AGAINST_SDK_LIMIT
        })
      }
    }
  }
  return checks
}
