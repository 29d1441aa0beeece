// The composition root: one HTTP server that answers `POST /v1/responses` and upgrades
// `/v1/responses` to WebSocket mode, plus the controls tests and benchmarks use.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import { FaultState } from '../faults/fault-state'
import { ResponseStore } from '../model/conversation'
import { IdFactory } from '../model/ids'
import { ScriptedModel } from '../model/scripted-model'
import { Scheduler } from '../net/scheduler'
import { HttpHandler } from './http-handler'
import { Recorder, type ConnectionInfo, type ReceivedMessage, type ResponseLogEntry, type SimStats } from './recorder'
import type { ServerContext } from './server-context'
import { applyConfig, effectiveFaults, type SimConfig, type SimOptions, type SimSettings } from './settings'
import { SocketRegistry } from './socket-registry'
import { UpgradeHandler } from './upgrade-handler'

export interface SimServer {
  /** `http://HOST:PORT/v1`: the base URL for the openai SDK (`baseURL`) and for Tether. */
  readonly baseUrl: string
  readonly port: number
  /** Every client message: WebSocket frames and HTTP request bodies, in arrival order. */
  readonly received: readonly ReceivedMessage[]
  /** Every response the server started, with how it ended. */
  readonly responses: readonly ResponseLogEntry[]
  stats(): SimStats
  connections(): ConnectionInfo[]
  settings(): SimSettings
  /** Changes scenario, faults, latency, handshake cost, age limit, API key or timing; one-shot faults re-arm. */
  configure(patch: SimConfig): void
  /** Cuts every open connection abruptly (WebSocket clients see 1006), as a crashed server would. */
  dropConnections(): void
  stop(): Promise<void>
}

export async function startSim(options: SimOptions = {}): Promise<SimServer> {
  let settings = applyConfig(null, options)
  const scheduler = new Scheduler()
  const ids = new IdFactory(options.idTag)
  const startedAt = scheduler.now()
  const recorder = new Recorder(() => scheduler.now() - startedAt, options.onResponseEnded, options.recordMessages ?? true)
  let faults = new FaultState(effectiveFaults(settings))
  let model = new ScriptedModel(settings.scenario, () => settings.timing, ids)

  const context: ServerContext = {
    scheduler,
    settings: () => settings,
    faults: () => faults,
    model: () => model,
    ids,
    store: new ResponseStore(),
    recorder
  }
  const sockets = new SocketRegistry(context)
  const wss = new WebSocketServer({ noServer: true, autoPong: false, perMessageDeflate: options.perMessageDeflate ?? true, maxPayload: 0 })
  const upgrades = new UpgradeHandler(context, sockets, wss)
  const http = new HttpHandler(context, sockets)
  const server: Server = createServer((request, response) => http.handle(request, response))
  // Keep idle connections as long as a typical API load balancer does, so a client's pooled
  // connection is not reset under it between turns (Node's default is 5 s).
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 66_000
  server.on('connection', (socket) => sockets.accept(socket))
  server.on('upgrade', (request, socket, head) => upgrades.handle(request, socket, head))

  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo

  return {
    baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${port}/v1`,
    port,
    received: recorder.received,
    responses: recorder.responses,
    stats: () => recorder.stats(),
    connections: () => recorder.connections(),
    settings: () => settings,
    configure(patch) {
      const next = applyConfig(settings, patch)
      if (next.scenario !== settings.scenario) model = new ScriptedModel(next.scenario, () => settings.timing, ids)
      if (patch.faults !== undefined || next.scenario !== settings.scenario) faults = new FaultState(effectiveFaults(next))
      settings = next
    },
    dropConnections() {
      for (const connection of upgrades.connections) connection.terminate()
      sockets.destroyAll()
    },
    async stop() {
      for (const connection of upgrades.connections) connection.terminate()
      scheduler.stop()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
        sockets.destroyAll()
      })
      wss.close()
    }
  }
}
