// The official `openai` SDK's HTTP streaming loop, as its function-calling guide writes it: keep
// the conversation locally, append the model's output and the tool outputs, and send the whole
// list with `stream: true` every turn. Same request settings as Tether (store:false, encrypted
// reasoning included), so without server-side storage the full resend is what it must do.
import OpenAI from 'openai'
import type { FunctionTool, Response, ResponseInputItem } from 'openai/resources/responses/responses'
import { performance } from 'node:perf_hooks'
import type { BenchClient, ClientRunContext, ClientRunResult } from './client'
import { executeCalls, openPeerRun, peerRequestSettings } from './peer-tools'

let runs = 0

async function runSdkHttp(context: ClientRunContext): Promise<ClientRunResult> {
  const runId = `sdk-http-${++runs}`
  const startedAt = performance.now()
  const client = new OpenAI({ apiKey: 'bench-key', baseURL: context.baseUrl, maxRetries: 0 })
  const tools = context.tools.registry.definitions() as FunctionTool[]
  await openPeerRun(context, runId)
  const transcript: ResponseInputItem[] = [{ role: 'user', content: context.task }]
  for (;;) {
    const stream = await client.responses.create({
      ...peerRequestSettings(context, tools),
      input: transcript,
      stream: true
    })
    let response: Response | null = null
    for await (const event of stream) {
      if (event.type === 'response.completed') response = event.response
      else if (event.type === 'response.failed' || event.type === 'response.incomplete') throw new Error(`the response ended ${event.response.status}`)
    }
    if (!response) throw new Error('the stream ended without response.completed')
    transcript.push(...(response.output as ResponseInputItem[]))
    const calls = response.output.filter((item) => item.type === 'function_call')
    if (calls.length === 0) break
    transcript.push(...(await executeCalls(context, runId, calls)))
  }
  const e2eMs = performance.now() - startedAt
  return { e2eMs, runId, profile: {} }
}

export const SDK_HTTP_CLIENT: BenchClient = {
  id: 'sdk-http',
  label: 'openai SDK, HTTP streaming',
  pattern: 'http-keep-alive',
  continuation: 'full transcript (store:false)',
  run: runSdkHttp
}
