// The tool host's request handling: runs by id, calls in flight by request id, terminal output
// batched per call (and always flushed before the call's result, so order is kept).
import { assertNever } from '../../../common/run/records'
import type { HostEvent, HostRequest } from './host-protocol'
import { RunSession } from './run-session'

const OUTPUT_BATCH_CHARS = 64 * 1024
const OUTPUT_BATCH_MS = 10

class OutputBatcher {
  private readonly send: (event: HostEvent) => void
  private readonly buffers = new Map<number, string>()
  private timer: NodeJS.Timeout | null = null

  constructor(send: (event: HostEvent) => void) {
    this.send = send
  }

  push(requestId: number, data: string): void {
    const buffered = (this.buffers.get(requestId) ?? '') + data
    this.buffers.set(requestId, buffered)
    if (buffered.length >= OUTPUT_BATCH_CHARS) this.flush(requestId)
    else this.timer ??= setTimeout(() => this.flushAll(), OUTPUT_BATCH_MS)
  }

  flush(requestId: number): void {
    const data = this.buffers.get(requestId)
    this.buffers.delete(requestId)
    if (data !== undefined && data.length > 0) this.send({ type: 'output', requestId, data })
  }

  private flushAll(): void {
    this.timer = null
    for (const requestId of [...this.buffers.keys()]) this.flush(requestId)
  }
}

function messageOf(error: unknown): string {
  return (error as Error)?.message ?? String(error)
}

export class ToolHost {
  private readonly send: (event: HostEvent) => void
  private readonly runs = new Map<string, Promise<RunSession>>()
  private readonly inFlight = new Map<number, AbortController>()
  private readonly output: OutputBatcher

  constructor(send: (event: HostEvent) => void) {
    this.send = send
    this.output = new OutputBatcher(send)
  }

  handle(request: HostRequest): void {
    switch (request.type) {
      case 'open-run':
        void this.openRun(request.requestId, request.run.runId, () => RunSession.open(request.run))
        return
      case 'execute':
        void this.execute(request)
        return
      case 'interrupt':
        this.inFlight.get(request.target)?.abort()
        return
      case 'close-run':
        void this.closeRun(request.requestId, request.runId)
        return
      default:
        assertNever(request, 'host request')
    }
  }

  async shutdown(): Promise<void> {
    for (const controller of this.inFlight.values()) controller.abort()
    const runs = [...this.runs.values()]
    this.runs.clear()
    await Promise.allSettled(runs.map(async (run) => (await run).close()))
  }

  private async openRun(requestId: number, runId: string, open: () => Promise<RunSession>): Promise<void> {
    const existing = this.runs.get(runId)
    const opening = existing ?? open()
    if (existing === undefined) this.runs.set(runId, opening)
    try {
      await opening
      this.send({ type: 'completed', requestId })
    } catch (error) {
      if (this.runs.get(runId) === opening) this.runs.delete(runId)
      this.send({ type: 'failed', requestId, message: messageOf(error) })
    }
  }

  private async execute(request: Extract<HostRequest, { type: 'execute' }>): Promise<void> {
    const { requestId } = request
    const opening = this.runs.get(request.runId)
    if (opening === undefined) {
      this.send({ type: 'failed', requestId, message: `run ${request.runId} is not open in the tool host` })
      return
    }
    const controller = new AbortController()
    this.inFlight.set(requestId, controller)
    try {
      const run = await opening
      const result = await run.execute(request.callId, request.tool, request.args, (data) => this.output.push(requestId, data), controller.signal)
      this.output.flush(requestId)
      this.send({ type: 'executed', requestId, result })
    } catch (error) {
      this.output.flush(requestId)
      this.send({ type: 'failed', requestId, message: messageOf(error) })
    } finally {
      this.inFlight.delete(requestId)
    }
  }

  private async closeRun(requestId: number, runId: string): Promise<void> {
    const opening = this.runs.get(runId)
    this.runs.delete(runId)
    try {
      if (opening !== undefined) await (await opening).close()
      this.send({ type: 'completed', requestId })
    } catch (error) {
      this.send({ type: 'failed', requestId, message: messageOf(error) })
    }
  }
}
