// The benchmark's handle on the sim process: start a fresh server for a run, collect what it saw.
import { fork, type ChildProcess } from 'node:child_process'
import { resolveEntryPoint } from '../../src-main/node/tools/entry-point'
import type { SimReply, SimRequest, SimRunConfig, SimRunSummary } from './sim-protocol'

export class SimChild {
  #child: ChildProcess
  #waiting: ((reply: SimReply) => void) | null = null
  #exited: Error | null = null

  private constructor(child: ChildProcess) {
    this.#child = child
    child.on('message', (reply: SimReply) => {
      const waiting = this.#waiting
      this.#waiting = null
      waiting?.(reply)
    })
    child.on('exit', (code, signal) => {
      this.#exited = new Error(`the sim process exited (${signal ?? code})`)
      const waiting = this.#waiting
      this.#waiting = null
      waiting?.({ type: 'failed', message: this.#exited.message })
    })
  }

  static spawn(entry: string = resolveEntryPoint('bench-sim')): SimChild {
    return new SimChild(fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }))
  }

  async start(config: SimRunConfig): Promise<string> {
    const reply = await this.#ask({ type: 'start', config })
    if (reply.type !== 'started') throw new Error(`the sim did not start: ${reply.type === 'failed' ? reply.message : reply.type}`)
    return reply.baseUrl
  }

  async finish(): Promise<SimRunSummary> {
    const reply = await this.#ask({ type: 'finish' })
    if (reply.type !== 'finished') throw new Error(`the sim did not report: ${reply.type === 'failed' ? reply.message : reply.type}`)
    return reply.summary
  }

  close(): Promise<void> {
    if (this.#exited) return Promise.resolve()
    return new Promise((resolve) => {
      this.#child.once('exit', () => resolve())
      this.#child.disconnect()
    })
  }

  #ask(request: SimRequest): Promise<SimReply> {
    if (this.#exited) return Promise.reject(this.#exited)
    if (this.#waiting) return Promise.reject(new Error('one sim request at a time'))
    return new Promise((resolve) => {
      this.#waiting = resolve
      this.#child.send(request)
    })
  }
}
