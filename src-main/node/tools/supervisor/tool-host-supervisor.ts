// Runs the tool host as a child process and talks to it: one promise per request, terminal
// output routed to the request's listener. When the host dies every request in flight fails
// with a clear error, and a new host is started for what comes next.
import { spawn, type ChildProcess } from 'node:child_process'
import { assertNever } from '../../../common/run/records'
import type { HostEvent, HostRequest, HostToolResult } from '../host/host-protocol'

export type HostReply = { type: 'executed'; result: HostToolResult } | { type: 'completed' }

/** The host stopped while a request was in flight. */
export class ToolHostDiedError extends Error {}

export interface SupervisorOptions {
  /** A plain Node binary (not Electron: isolated-vm is built for Node). */
  nodePath: string
  entry: string
  startTimeoutMs?: number
}

interface Pending {
  resolve: (reply: HostReply) => void
  reject: (error: Error) => void
  onOutput: ((data: string) => void) | undefined
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
export type HostRequestBody = DistributiveOmit<HostRequest, 'requestId'>

const STDERR_TAIL = 4096
/** A host that dies this soon after starting is restarted only on demand, not in a loop. */
const STABLE_AFTER_MS = 2_000

const PASSED_ENVIRONMENT = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR']

/** The host gets a short allowlist of the environment: never the API keys the app holds. */
function hostEnvironment(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && (PASSED_ENVIRONMENT.includes(name) || name.startsWith('LC_'))) env[name] = value
  }
  return env
}

export class ToolHostSupervisor {
  private readonly options: SupervisorOptions
  private child: ChildProcess | null = null
  private starting: Promise<ChildProcess> | null = null
  private readonly pending = new Map<number, Pending>()
  private nextRequestId = 1
  private stderrTail = ''
  private closed = false
  private spawnedAt = 0
  /** Counts host processes started; a run opened in an earlier one must be opened again. */
  generation = 0

  constructor(options: SupervisorOptions) {
    this.options = options
  }

  get pid(): number | null {
    return this.child?.pid ?? null
  }

  /** Starts the host if needed; resolves when it is ready. */
  async ensureStarted(): Promise<void> {
    await this.started()
  }

  async request(body: HostRequestBody, options: { onOutput?: (data: string) => void; signal?: AbortSignal } = {}): Promise<HostReply> {
    const child = await this.started()
    const requestId = this.nextRequestId++
    const reply = new Promise<HostReply>((resolve, reject) => this.pending.set(requestId, { resolve, reject, onOutput: options.onOutput }))
    const onAbort = (): void => this.post(child, { type: 'interrupt', requestId: this.nextRequestId++, target: requestId })
    options.signal?.addEventListener('abort', onAbort, { once: true })
    this.post(child, { ...body, requestId } as HostRequest)
    if (options.signal?.aborted) onAbort()
    try {
      return await reply
    } finally {
      options.signal?.removeEventListener('abort', onAbort)
    }
  }

  async close(): Promise<void> {
    this.closed = true
    const child = this.child ?? (await this.starting?.catch(() => null)) ?? null
    if (child === null || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    // Disconnecting asks the host to take its runs down; SIGKILL if it does not go in time.
    child.disconnect()
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }

  private post(child: ChildProcess, request: HostRequest): void {
    if (child.connected) child.send(request)
  }

  private started(): Promise<ChildProcess> {
    if (this.closed) return Promise.reject(new Error('the tool runtime is closed'))
    if (this.child !== null) return Promise.resolve(this.child)
    this.starting ??= this.spawnHost().finally(() => {
      this.starting = null
    })
    return this.starting
  }

  private spawnHost(): Promise<ChildProcess> {
    const child = spawn(this.options.nodePath, ['--no-node-snapshot', this.options.entry], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
      env: hostEnvironment()
    })
    this.stderrTail = ''
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL)
    })
    return new Promise<ChildProcess>((resolve, reject) => {
      let ready = false
      const timeoutMs = this.options.startTimeoutMs ?? 15_000
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error(`the tool host did not start within ${timeoutMs} ms`))
      }, timeoutMs)
      child.on('message', (event: HostEvent) => {
        if (event.type === 'ready') {
          ready = true
          clearTimeout(timer)
          this.child = child
          this.generation++
          this.spawnedAt = Date.now()
          resolve(child)
          return
        }
        this.dispatch(event)
      })
      child.on('error', (error) => {
        clearTimeout(timer)
        if (!ready) reject(new Error(`the tool host could not be started with ${this.options.nodePath}: ${error.message}`))
      })
      child.on('exit', (code, signal) => {
        clearTimeout(timer)
        const how = signal !== null ? `signal ${signal}` : `exit code ${code}`
        const detail = this.stderrTail.trim().length > 0 ? `: ${this.stderrTail.trim().split('\n').slice(-5).join(' / ')}` : ''
        if (!ready) {
          reject(new Error(`the tool host exited during start-up (${how})${detail}`))
          return
        }
        if (this.child === child) this.child = null
        this.failPending(new ToolHostDiedError(`the tool host stopped unexpectedly (${how})${detail}`))
        const stable = Date.now() - this.spawnedAt > STABLE_AFTER_MS
        if (!this.closed && stable) void this.started().catch(() => undefined)
      })
    })
  }

  private failPending(error: Error): void {
    const pending = [...this.pending.values()]
    this.pending.clear()
    for (const request of pending) request.reject(error)
  }

  private settle(requestId: number): Pending | undefined {
    const pending = this.pending.get(requestId)
    this.pending.delete(requestId)
    return pending
  }

  private dispatch(event: Exclude<HostEvent, { type: 'ready' }>): void {
    switch (event.type) {
      case 'output':
        this.pending.get(event.requestId)?.onOutput?.(event.data)
        return
      case 'executed':
        this.settle(event.requestId)?.resolve({ type: 'executed', result: event.result })
        return
      case 'completed':
        this.settle(event.requestId)?.resolve({ type: 'completed' })
        return
      case 'failed':
        this.settle(event.requestId)?.reject(new Error(event.message))
        return
      default:
        assertNever(event, 'host event')
    }
  }
}
