// A bare WebSocket client for protocol tests that need to see every frame exactly as sent,
// send malformed frames, or watch how the connection ends.
import { WebSocket } from 'ws'

export interface Frame {
  type: string
  sequence_number?: number
  stream_id?: string
  [key: string]: unknown
}

export class RawClient {
  private readonly frames: Frame[] = []
  private readonly waiters: Array<() => void> = []
  readonly closed: Promise<{ code: number; reason: string }>

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame)
      for (const wake of this.waiters.splice(0)) wake()
    })
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })))
    this.closed.then(() => {
      for (const wake of this.waiters.splice(0)) wake()
    })
  }

  static connect(baseUrl: string, apiKey = 'sk-test'): Promise<RawClient> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/responses`
    const socket = new WebSocket(url, { headers: { Authorization: `Bearer ${apiKey}` }, perMessageDeflate: false })
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new RawClient(socket)))
      socket.once('error', reject)
    })
  }

  send(message: object | string): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message))
  }

  /** All frames received so far. */
  get received(): readonly Frame[] {
    return this.frames
  }

  /**
   * Resolves with the frames received since `from` up to and including the first that matches.
   * `match` sees each frame once, in order, so it may record what it sees.
   */
  async until(match: (frame: Frame) => boolean, from = 0): Promise<Frame[]> {
    let next = from
    for (;;) {
      while (next < this.frames.length) {
        if (match(this.frames[next] as Frame)) return this.frames.slice(from, next + 1)
        next++
      }
      if (this.socket.readyState === WebSocket.CLOSED) throw new Error(`connection closed before a matching frame; got ${this.frames.length} frames`)
      await new Promise<void>((resolve) => this.waiters.push(resolve))
    }
  }

  /** Resolves with the first `count` frames once that many have arrived. */
  async first(count: number): Promise<Frame[]> {
    for (;;) {
      if (this.frames.length >= count) return this.frames.slice(0, count)
      if (this.socket.readyState === WebSocket.CLOSED) throw new Error(`connection closed after ${this.frames.length} of ${count} frames`)
      await new Promise<void>((resolve) => this.waiters.push(resolve))
    }
  }

  /** Frames of the next response on `streamId` (undefined = default lane) up to its end. */
  async turn(from = this.frames.length, streamId?: string): Promise<Frame[]> {
    return this.until((frame) => frame.stream_id === streamId && isTerminal(frame), from)
  }

  close(): void {
    this.socket.close()
  }
}

export function isTerminal(frame: Frame): boolean {
  return frame.type === 'response.completed' || frame.type === 'response.failed' || frame.type === 'response.incomplete' || frame.type === 'error'
}

export function responseOf(frame: Frame): { id: string; status: string; output: Array<Record<string, unknown>> } {
  return frame.response as { id: string; status: string; output: Array<Record<string, unknown>> }
}
