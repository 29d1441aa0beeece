// Drives the log-appender child: starts it on a log, optionally kills it, and reports what it
// acknowledged before it died.
import { spawn } from 'node:child_process'

export interface AppenderResult {
  /** The seq the child would append first, from its `ready` line; null if it never got ready. */
  readySeq: number | null
  /** Seqs of durable records the child saw on disk, in order. */
  acked: number[]
  failure: string | null
  exitCode: number | null
  signal: NodeJS.Signals | null
  stderr: string
}

export interface AppenderOptions {
  /**
   * Kill with SIGKILL `delayMs` after the child acknowledged `acks` durable records (after `ready`
   * when `acks` is 0); omit to let it run until it fails. Counting acknowledgements rather than
   * time makes every kill land mid-run however fast or loaded the machine is.
   */
  kill?: { acks: number; delayMs: number }
  /** Run under `ulimit -f` (KiB), so writes past that size fail like on a full disk. */
  fileSizeLimitKiB?: number
}

export function runAppender(script: string, logPath: string, options: AppenderOptions = {}): Promise<AppenderResult> {
  const command = options.fileSizeLimitKiB === undefined ? process.execPath : 'bash'
  const args =
    options.fileSizeLimitKiB === undefined
      ? [script, logPath]
      : ['-c', `ulimit -f ${options.fileSizeLimitKiB} && exec "$0" "$1" "$2"`, process.execPath, script, logPath]
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const result: AppenderResult = { readySeq: null, acked: [], failure: null, exitCode: null, signal: null, stderr: '' }
  let pending = ''
  const onLine = (line: string): void => {
    const [word, ...rest] = line.split(' ')
    if (word === 'ready') {
      result.readySeq = Number(rest[0])
    } else if (word === 'ack') {
      result.acked.push(Number(rest[0]))
    } else if (word === 'failed') {
      result.failure = rest.join(' ')
    }
    const { kill } = options
    const due = kill !== undefined && (word === 'ready' || word === 'ack') && result.acked.length === kill.acks
    if (due) setTimeout(() => child.kill('SIGKILL'), kill.delayMs)
  }
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    lines.forEach(onLine)
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    result.stderr += chunk
  })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      result.exitCode = code
      result.signal = signal
      resolve(result)
    })
  })
}
