import OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { startSim } from '../index'
import { fillerText } from '../model/tokenize'
import { RawClient } from '../test-support/raw-client'
import { CREATE } from '../test-support/text-scenario'

describe('long-text', () => {
  it('streams 10,000 one-token deltas that rebuild the text, over WebSocket and over SSE', async () => {
    const sim = await startSim({ scenario: 'long-text' })
    try {
      const ws = await RawClient.connect(sim.baseUrl)
      ws.send({ ...CREATE, input: 'Write a long essay.' })
      const frames = await ws.turn(0)
      ws.close()
      const deltas = frames.filter((frame) => frame.type === 'response.output_text.delta')
      expect(deltas).toHaveLength(10_000)
      expect(deltas.map((frame) => frame.delta).join('')).toBe(fillerText(10_000))
      expect(frames.map((frame) => frame.sequence_number)).toEqual(frames.map((_, index) => index))

      const openai = new OpenAI({ apiKey: 'sk-test', baseURL: sim.baseUrl, maxRetries: 0 })
      const stream = await openai.responses.create({ model: 'gpt-5.2', input: 'Write a long essay.', stream: true })
      let text = ''
      for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta
      expect(text).toBe(fillerText(10_000))
    } finally {
      await sim.stop()
    }
  })
})
