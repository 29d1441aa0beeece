// A calibration, not a client under test: a bare `ws` loop that plays the scenario with canned
// tool outputs (no tools run) and times each turn from request sent to terminal event received.
// Whatever that takes beyond the scripted model time and the emulated network is the sim's own
// work (parsing, serializing, pacing) plus loopback and event parsing; every client pays it too.
import { performance } from 'node:perf_hooks'
import { WebSocket } from 'ws'
import type { FunctionTool } from '../../src-main/common/protocol/wire'

interface ProbeFrame {
  type: string
  response?: { id: string; output: Array<{ type: string; call_id?: string }> }
}

export interface ProbeRequest {
  baseUrl: string
  model: string
  instructions: string
  task: string
  tools: FunctionTool[]
  /** Scripted model time of each turn, from scenarioTimeline. */
  modelMsPerTurn: number[]
  latencyMs: number
}

/** Per turn: measured time minus model time minus one round trip. */
export async function probeTurnOverheads(request: ProbeRequest): Promise<number[]> {
  const url = `${request.baseUrl.replace(/^http/, 'ws')}/responses`
  const socket = new WebSocket(url, { headers: { Authorization: 'Bearer bench-key' }, perMessageDeflate: false })
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  let onTerminal: ((frame: ProbeFrame) => void) | null = null
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as ProbeFrame
    if (frame.type === 'response.completed' || frame.type === 'response.failed' || frame.type === 'response.incomplete' || frame.type === 'error') onTerminal?.(frame)
  })
  const overheads: number[] = []
  let input: unknown[] = [{ role: 'user', content: request.task }]
  let previous: string | null = null
  try {
    for (const modelMs of request.modelMsPerTurn) {
      const terminal = new Promise<ProbeFrame>((resolve) => (onTerminal = resolve))
      const sentAt = performance.now()
      socket.send(
        JSON.stringify({
          type: 'response.create',
          model: request.model,
          instructions: request.instructions,
          tools: request.tools,
          store: false,
          input,
          ...(previous === null ? {} : { previous_response_id: previous })
        })
      )
      const frame = await terminal
      overheads.push(performance.now() - sentAt - modelMs - 2 * request.latencyMs)
      if (frame.type !== 'response.completed' || !frame.response) throw new Error(`the probe turn ended with ${frame.type}`)
      previous = frame.response.id
      input = frame.response.output.flatMap((item) => (item.type === 'function_call' ? [{ type: 'function_call_output', call_id: item.call_id, output: 'ok' }] : []))
    }
  } finally {
    socket.close()
  }
  return overheads
}
