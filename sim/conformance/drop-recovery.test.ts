// The property the scripted model promises: after a dropped connection, a client that resends its
// transcript (including the calls it already ran from the interrupted turn) gets exactly the rest
// of the script - no call twice, none missing - wherever the connection was cut.
import { describe, expect, it } from 'vitest'
import { startSim } from '../index'
import { RawClient, type Frame } from '../test-support/raw-client'
import { CREATE } from '../test-support/text-scenario'
import { TOOL_LOOP } from '../test-support/tool-loop-scenario'

interface Outcome {
  executed: string[]
  finalText: string
  connections: number
}

/** Runs TOOL_LOOP to the end, executing each call as soon as its item is done; resends the full transcript after a drop. */
async function runResilient(faults: string[]): Promise<Outcome> {
  const sim = await startSim({ scenario: TOOL_LOOP, faults })
  const transcript: object[] = [{ type: 'message', role: 'user', content: 'Check the project.' }]
  const executed: string[] = []
  let connections = 0
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      const ws = await RawClient.connect(sim.baseUrl)
      connections++
      try {
        for (;;) {
          const from = ws.received.length
          ws.send({ ...CREATE, include: ['reasoning.encrypted_content'], input: transcript })
          const ran: object[] = []
          const frames = await ws.until((frame) => {
            const item = frame.item as { type: string; call_id: string; name: string; arguments: string } | undefined
            if (frame.type === 'response.output_item.done' && item?.type === 'function_call') {
              executed.push(`${item.name} ${item.arguments}`)
              ran.push(item, { type: 'function_call_output', call_id: item.call_id, output: 'ok' })
            }
            return frame.type === 'response.completed'
          }, from).catch((error: Error) => {
            transcript.push(...ran)
            throw error
          })
          const output = (frames.at(-1)!.response as { output: Array<{ type: string }> }).output
          transcript.push(...output.filter((item) => item.type !== 'function_call'), ...ran)
          if (ran.length === 0) return { executed, finalText: textOf(frames), connections }
        }
      } catch {
        ws.close()
      }
    }
    throw new Error('did not finish in 10 connections')
  } finally {
    await sim.stop()
  }
}

function textOf(frames: Frame[]): string {
  return frames.filter((frame) => frame.type === 'response.output_text.done').map((frame) => frame.text).join('')
}

describe('recovery after a dropped connection', () => {
  it('completes the script exactly once whichever event the connection is cut at', async () => {
    const clean = await runResilient([])
    expect(clean.connections).toBe(1)
    expect(clean.finalText).toBe('All tests pass; nothing needed fixing.')
    const totalEvents = (await countEvents()) - 1
    for (let cut = 0; cut < totalEvents; cut++) {
      const outcome = await runResilient([`drop-once:${cut}`])
      expect({ cut, ...outcome }).toEqual({ cut, ...clean, connections: 2 })
    }
  })
})

async function countEvents(): Promise<number> {
  const probe = await startSim({ scenario: TOOL_LOOP })
  try {
    const ws = await RawClient.connect(probe.baseUrl)
    const transcript: object[] = [{ type: 'message', role: 'user', content: 'Check the project.' }]
    for (;;) {
      const from = ws.received.length
      ws.send({ ...CREATE, include: ['reasoning.encrypted_content'], input: transcript })
      const frames = await ws.turn(from)
      const output = (frames.at(-1)!.response as { output: Array<{ type: string; call_id?: string }> }).output
      transcript.push(...output)
      const calls = output.filter((item) => item.type === 'function_call')
      if (calls.length === 0) break
      transcript.push(...calls.map((call) => ({ type: 'function_call_output', call_id: call.call_id, output: 'ok' })))
    }
    ws.close()
    return ws.received.length
  } finally {
    await probe.stop()
  }
}
