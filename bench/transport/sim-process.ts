// The model server of the transport benchmark, in its own process (built as out/bench/bench-sim.js
// and started by SimChild). One fresh server per measured run: no conversation state, connection
// or id carries over from one run to the next.
import { startSim, type SimServer } from '../../sim'
import { assertNever } from '../../src-main/common/run/records'
import type { SimReply, SimRequest, SimRunSummary } from './sim-protocol'

let sim: SimServer | null = null

function reply(message: SimReply): void {
  process.send?.(message)
}

function summaryOf(server: SimServer): SimRunSummary {
  const stats = server.stats()
  const outcomes: Record<string, number> = {}
  for (const response of server.responses) outcomes[response.outcome] = (outcomes[response.outcome] ?? 0) + 1
  return {
    requestBytes: server.received.map((message) => message.bytes),
    renderedItems: server.responses.map((response) => (response.parentSource === 'connection' ? response.inputItems : response.contextItems)),
    outcomes,
    tcpConnections: stats.tcpConnections,
    wsConnections: stats.wsConnections,
    httpRequests: stats.httpRequests
  }
}

async function handle(request: SimRequest): Promise<SimReply> {
  switch (request.type) {
    case 'start': {
      if (sim) await sim.stop()
      const { scenario, latencyMs, handshakeMs, timing } = request.config
      sim = await startSim({ scenario, latencyMs, handshakeMs, timing, apiKey: null })
      return { type: 'started', baseUrl: sim.baseUrl }
    }
    case 'finish': {
      if (!sim) return { type: 'failed', message: 'no sim is running' }
      const summary = summaryOf(sim)
      await sim.stop()
      sim = null
      return { type: 'finished', summary }
    }
    default:
      return assertNever(request, 'sim request')
  }
}

process.on('message', (request: SimRequest) => {
  handle(request).then(reply, (error: unknown) => reply({ type: 'failed', message: (error as Error).message }))
})
process.on('disconnect', () => {
  void (sim?.stop() ?? Promise.resolve()).finally(() => process.exit(0))
})
