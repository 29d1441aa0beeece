// The official `openai` SDK's WebSocket client (`ResponsesWS`) in the loop its guide describes:
// one socket, each continuation sends only the tool outputs plus `previous_response_id`
// (store:false, so the server continues from the connection's cache).
import OpenAI from 'openai'
import type { FunctionTool, Response, ResponseInputItem, ResponsesServerEvent } from 'openai/resources/responses/responses'
import { ResponsesWS } from 'openai/resources/responses/ws'
import { performance } from 'node:perf_hooks'
import type { BenchClient, ClientRunContext, ClientRunResult } from './client'
import { executeCalls, openPeerRun, peerRequestSettings } from './peer-tools'

let runs = 0

/** The terminal response of the next turn; rejects on the SDK's `error` channel or a failed response. */
function nextResponse(ws: ResponsesWS): Promise<Response> {
  return new Promise((resolve, reject) => {
    const onEvent = (event: ResponsesServerEvent): void => {
      if (event.type === 'response.completed') {
        cleanup()
        resolve(event.response)
      } else if (event.type === 'response.failed' || event.type === 'response.incomplete') {
        cleanup()
        reject(new Error(`the response ended ${event.response.status}`))
      }
    }
    const onError = (error: Error): void => {
      cleanup()
      reject(error)
    }
    const cleanup = (): void => {
      ws.off('event', onEvent)
      ws.off('error', onError)
    }
    ws.on('event', onEvent)
    ws.on('error', onError)
  })
}

async function runSdkWs(context: ClientRunContext): Promise<ClientRunResult> {
  const runId = `sdk-ws-${++runs}`
  const startedAt = performance.now()
  const ws = new ResponsesWS(new OpenAI({ apiKey: 'bench-key', baseURL: context.baseUrl, maxRetries: 0 }))
  try {
    const tools = context.tools.registry.definitions() as FunctionTool[]
    await openPeerRun(context, runId)
    let input: ResponseInputItem[] = [{ role: 'user', content: context.task }]
    let previous: string | null = null
    for (;;) {
      const pending = nextResponse(ws)
      ws.send({
        type: 'response.create',
        ...peerRequestSettings(context, tools),
        input,
        ...(previous === null ? {} : { previous_response_id: previous })
      })
      const response = await pending
      previous = response.id
      const calls = response.output.filter((item) => item.type === 'function_call')
      if (calls.length === 0) break
      input = await executeCalls(context, runId, calls)
    }
    const e2eMs = performance.now() - startedAt
    return { e2eMs, runId, profile: {} }
  } finally {
    ws.close()
  }
}

export const SDK_WS_CLIENT: BenchClient = {
  id: 'sdk-ws',
  label: 'openai SDK, ResponsesWS',
  pattern: 'websocket',
  continuation: 'tool outputs + previous_response_id (store:false, connection cache)',
  run: runSdkWs
}
