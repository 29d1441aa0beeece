// The parent's side of the channel to a child process (the tool host, the script runner): starts
// it, waits for `ready`, numbers requests, routes progress to each request's listener, cancels by
// number when a request's signal aborts, and when the child dies fails every request in flight
// with how it ended and the end of its stderr.
import { spawn, type ChildProcess } from 'node:child_process'
import type { Socket } from 'node:net'
import { assertNever } from '../../../common/run/records'
import type { ChannelTypes, FromChild, ToChild } from './channel-protocol'

const STDERR_TAIL = 4096

export interface ChildLaunch {
  /** What the child is called in messages, e.g. "the tool host". */
  name: string
  file: string
  args: string[]
  env: Record<string, string>
  startTimeoutMs: number
  /** Descriptors after stdin, stdout, stderr and the IPC channel (e.g. a seccomp program for bwrap). */
  extraStdio?: Array<number | 'ignore'>
  /**
   * Whether the child keeps this process running: always (the default), or only while a request is
   * in flight, for a helper that lives as long as the process and must not hold its exit.
   */
  keepsParentAlive?: 'always' | 'while-busy'
}

/** How a child ended. */
export interface ChildExit {
  code: number | null
  signal: NodeJS.Signals | null
  /** The last few KiB the child wrote to stderr. */
  stderrTail: string
}

export function describeExit(exit: ChildExit): string {
  return exit.signal !== null ? `signal ${exit.signal}` : `exit code ${exit.code}`
}

/** The child ended while a request was in flight. */
export class ChildExitedError extends Error {
  readonly exit: ChildExit

  constructor(message: string, exit: ChildExit) {
    super(message)
    this.exit = exit
  }
}

interface Pending<T extends ChannelTypes> {
  resolve: (reply: T['reply']) => void
  reject: (error: Error) => void
  onProgress: ((progress: T['progress']) => void) | undefined
}

export interface RequestOptions<T extends ChannelTypes> {
  onProgress?: (progress: T['progress']) => void
  /** Aborting sends a cancel for this request; the child still answers it. */
  signal?: AbortSignal
  /** Aborting fails the request at once with the abort's reason, and ignores what the child says of it later. */
  abandon?: AbortSignal
}

export class ChildChannel<T extends ChannelTypes> {
  readonly name: string
  readonly #child: ChildProcess
  readonly #pending = new Map<number, Pending<T>>()
  readonly #exitListeners = new Set<(exit: ChildExit) => void>()
  #nextId = 1
  #stderrTail = ''
  #exit: ChildExit | null = null
  readonly #onlyWhileBusy: boolean

  private constructor(name: string, child: ChildProcess, onlyWhileBusy: boolean) {
    this.name = name
    this.#child = child
    this.#onlyWhileBusy = onlyWhileBusy
  }

  /** Starts the child and resolves once it says `ready`; rejects with why it could not start. */
  static start<T extends ChannelTypes>(launch: ChildLaunch): Promise<ChildChannel<T>> {
    const child: ChildProcess = spawn(launch.file, launch.args, {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc', ...(launch.extraStdio ?? [])],
      serialization: 'json',
      env: launch.env,
      // A session of its own, without the terminal: a Ctrl-C or hang-up the terminal sends its
      // foreground process group is the parent's to act on (`tether run` interrupts the run, and
      // its call ends as interrupted, not with a tool host or script runner that died under it),
      // and nothing the child starts can reach the person's terminal. It ends when the parent
      // disconnects.
      detached: true
    })
    const channel = new ChildChannel<T>(launch.name, child, launch.keepsParentAlive === 'while-busy')
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => {
      channel.#stderrTail = (channel.#stderrTail + chunk).slice(-STDERR_TAIL)
    })
    return new Promise((resolve, reject) => {
      let ready = false
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error(`${launch.name} did not start within ${launch.startTimeoutMs} ms`))
      }, launch.startTimeoutMs)
      child.on('message', (message: FromChild<T>) => {
        if (message.kind !== 'ready') {
          channel.#receive(message)
          return
        }
        ready = true
        clearTimeout(timer)
        channel.#holdParent(false)
        resolve(channel)
      })
      child.on('error', (error) => {
        clearTimeout(timer)
        if (!ready) reject(new Error(`${launch.name} could not be started with ${launch.file}: ${error.message}`))
      })
      child.on('exit', (code, signal) => {
        clearTimeout(timer)
        const exit = { code, signal, stderrTail: channel.#stderrTail }
        channel.#exit = exit
        const detail = channel.stderrDetail()
        if (!ready) reject(new Error(`${launch.name} exited during start-up (${describeExit(exit)})${detail}`))
        channel.#failPending(new ChildExitedError(`${launch.name} stopped unexpectedly (${describeExit(exit)})${detail}`, exit))
        for (const listener of channel.#exitListeners) listener(exit)
      })
    })
  }

  get pid(): number | null {
    return this.#child.pid ?? null
  }

  get alive(): boolean {
    return this.#exit === null
  }

  /** The last lines of the child's stderr, as `: line / line`, or nothing. */
  stderrDetail(lines = 5): string {
    const tail = this.#stderrTail.trim()
    return tail.length > 0 ? `: ${tail.split('\n').slice(-lines).join(' / ')}` : ''
  }

  get stderrTail(): string {
    return this.#stderrTail
  }

  onExit(listener: (exit: ChildExit) => void): void {
    this.#exitListeners.add(listener)
  }

  request(body: T['request'], options: RequestOptions<T> = {}): Promise<T['reply']> {
    if (this.#exit !== null) return Promise.reject(new ChildExitedError(`${this.name} is not running (${describeExit(this.#exit)})`, this.#exit))
    const id = this.#nextId++
    if (this.#pending.size === 0) this.#holdParent(true)
    const reply = new Promise<T['reply']>((resolve, reject) => this.#pending.set(id, { resolve, reject, onProgress: options.onProgress }))
    const onAbort = (): void => this.#send({ kind: 'cancel', id })
    const onAbandon = (): void => this.#settle(id)?.reject(options.abandon?.reason instanceof Error ? options.abandon.reason : new Error(`${this.name} request abandoned`))
    options.signal?.addEventListener('abort', onAbort, { once: true })
    options.abandon?.addEventListener('abort', onAbandon, { once: true })
    this.#send({ kind: 'request', id, body })
    if (options.signal?.aborted) onAbort()
    return reply.finally(() => {
      options.signal?.removeEventListener('abort', onAbort)
      options.abandon?.removeEventListener('abort', onAbandon)
    })
  }

  kill(): void {
    if (this.#exit === null) this.#child.kill('SIGKILL')
  }

  /** Disconnects, which asks the child to wind down; kills it if it has not exited after `graceMs`. */
  async close(graceMs: number): Promise<void> {
    if (this.#exit !== null) return
    const exited = new Promise<void>((resolve) => this.onExit(() => resolve()))
    if (this.#child.connected) this.#child.disconnect()
    const timer = setTimeout(() => this.kill(), graceMs)
    await exited
    clearTimeout(timer)
  }

  #send(message: ToChild<T>): void {
    if (this.#child.connected) this.#child.send(message)
  }

  #receive(message: Exclude<FromChild<T>, { kind: 'ready' }>): void {
    switch (message.kind) {
      case 'progress':
        this.#pending.get(message.id)?.onProgress?.(message.body)
        return
      case 'reply':
        this.#settle(message.id)?.resolve(message.body)
        return
      case 'failed':
        this.#settle(message.id)?.reject(new Error(message.message))
        return
      default:
        assertNever(message, 'channel message')
    }
  }

  #settle(id: number): Pending<T> | undefined {
    const pending = this.#pending.get(id)
    this.#pending.delete(id)
    if (this.#pending.size === 0) this.#holdParent(false)
    return pending
  }

  /** For a child that keeps its parent alive only while busy: its process, channel and stderr pipe count as work only then. */
  #holdParent(busy: boolean): void {
    if (!this.#onlyWhileBusy || this.#exit !== null) return
    // A piped stdio stream is a socket, though typed as a plain stream.
    const handles = [this.#child, this.#child.channel, this.#child.stderr as Socket | null]
    for (const handle of handles) {
      if (busy) handle?.ref()
      else handle?.unref()
    }
  }

  #failPending(error: Error): void {
    const pending = [...this.#pending.values()]
    this.#pending.clear()
    for (const request of pending) request.reject(error)
  }
}
