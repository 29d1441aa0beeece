// Runs the tool host as a child process over the child channel: one promise per request, terminal
// output routed to the request's listener. When the host dies every request in flight fails with
// a clear error (ChildExitedError), and a new host is started for what comes next.
import { ChildChannel } from '../channel/child-channel'
import type { ToolHostChannel, ToolHostReply, ToolHostRequest } from '../host/host-protocol'

export interface SupervisorOptions {
  /** A plain Node binary (not Electron: isolated-vm is built for Node). */
  nodePath: string
  entry: string
  startTimeoutMs?: number
}

/** A host that dies this soon after starting is restarted only on demand, not in a loop. */
const STABLE_AFTER_MS = 2_000
const CLOSE_GRACE_MS = 5_000

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
  private channel: ChildChannel<ToolHostChannel> | null = null
  private starting: Promise<ChildChannel<ToolHostChannel>> | null = null
  private closed = false
  /** Counts host processes started; a run opened in an earlier one must be opened again. */
  generation = 0

  constructor(options: SupervisorOptions) {
    this.options = options
  }

  get pid(): number | null {
    return this.channel?.pid ?? null
  }

  /** Starts the host if needed; resolves when it is ready. */
  async ensureStarted(): Promise<void> {
    await this.started()
  }

  async request(body: ToolHostRequest, options: { onOutput?: (data: string) => void; signal?: AbortSignal } = {}): Promise<ToolHostReply> {
    const channel = await this.started()
    return channel.request(body, { onProgress: options.onOutput, signal: options.signal })
  }

  async close(): Promise<void> {
    this.closed = true
    const channel = this.channel ?? (await this.starting?.catch(() => null)) ?? null
    // Disconnecting asks the host to take its runs down; it is killed if it does not go in time.
    await channel?.close(CLOSE_GRACE_MS)
  }

  private started(): Promise<ChildChannel<ToolHostChannel>> {
    if (this.closed) return Promise.reject(new Error('the tool runtime is closed'))
    if (this.channel !== null) return Promise.resolve(this.channel)
    this.starting ??= this.spawnHost().finally(() => {
      this.starting = null
    })
    return this.starting
  }

  private async spawnHost(): Promise<ChildChannel<ToolHostChannel>> {
    const channel = await ChildChannel.start<ToolHostChannel>({
      name: 'the tool host',
      file: this.options.nodePath,
      args: ['--no-node-snapshot', this.options.entry],
      env: hostEnvironment(),
      startTimeoutMs: this.options.startTimeoutMs ?? 15_000
    })
    const spawnedAt = Date.now()
    this.channel = channel
    this.generation++
    channel.onExit(() => {
      if (this.channel === channel) this.channel = null
      const stable = Date.now() - spawnedAt > STABLE_AFTER_MS
      if (!this.closed && stable) void this.started().catch(() => undefined)
    })
    return channel
  }
}
