// The tool host's request handling: runs by id, each call's terminal output batched (and always
// flushed before the call's result, so order is kept).
import { assertNever } from '../../../common/run/records'
import type { RequestContext } from '../channel/serve-channel'
import { coalesceText } from '../output/coalesce-text'
import type { ToolHostChannel, ToolHostReply, ToolHostRequest } from './host-protocol'
import { HostRun } from './host-run'

const OUTPUT_BATCH_CHARS = 64 * 1024
const OUTPUT_BATCH_MS = 10

export class ToolHost {
  private readonly runs = new Map<string, Promise<HostRun>>()

  handle(request: ToolHostRequest, context: RequestContext<ToolHostChannel>): Promise<ToolHostReply> {
    switch (request.type) {
      case 'open-run':
        return this.openRun(request.run.runId, () => HostRun.open(request.run))
      case 'execute':
        return this.execute(request, context)
      case 'close-run':
        return this.closeRun(request.runId)
      default:
        return assertNever(request, 'tool host request')
    }
  }

  async shutdown(): Promise<void> {
    const runs = [...this.runs.values()]
    this.runs.clear()
    await Promise.allSettled(runs.map(async (run) => (await run).close()))
  }

  private async openRun(runId: string, open: () => Promise<HostRun>): Promise<ToolHostReply> {
    const existing = this.runs.get(runId)
    const opening = existing ?? open()
    if (existing === undefined) this.runs.set(runId, opening)
    try {
      await opening
      return { type: 'completed' }
    } catch (error) {
      if (this.runs.get(runId) === opening) this.runs.delete(runId)
      throw error
    }
  }

  private async execute(request: Extract<ToolHostRequest, { type: 'execute' }>, context: RequestContext<ToolHostChannel>): Promise<ToolHostReply> {
    const opening = this.runs.get(request.runId)
    if (opening === undefined) throw new Error(`run ${request.runId} is not open in the tool host`)
    const output = coalesceText(context.progress, { windowMs: OUTPUT_BATCH_MS, maxChars: OUTPUT_BATCH_CHARS })
    try {
      const run = await opening
      const result = await run.execute(request.callId, request.tool, request.args, output.push, context.signal)
      return { type: 'executed', result }
    } finally {
      output.flush()
    }
  }

  private async closeRun(runId: string): Promise<ToolHostReply> {
    const opening = this.runs.get(runId)
    this.runs.delete(runId)
    if (opening !== undefined) await (await opening).close()
    return { type: 'completed' }
  }
}
