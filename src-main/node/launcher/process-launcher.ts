// The host's way to start a program: through the process launcher (see launcher-main.ts), one per
// host process, started by the first launch and again after it dies. It holds the host open only
// while a program it started runs.
import { delimiter, isAbsolute } from 'node:path'
import { assertNever } from '../../common/run/records'
import { ChildChannel, ChildExitedError } from '../tools/channel/child-channel'
import { plainNodePath, resolveEntryPoint } from '../tools/entry-point'
import type { LaunchExit, LauncherChannel, LaunchProgress } from './launcher-protocol'
import { killGroup } from './process-group'

export interface ProgramLaunch {
  file: string
  args: string[]
  cwd: string
  env: Record<string, string>
  input?: string | Buffer
  /** At most this many bytes reach `onStdout`; a program that writes more is stopped. */
  maxStdoutBytes?: number
  /** At most this many bytes reach `onStderr`; the rest is dropped. */
  maxStderrBytes?: number
  /** Runs once the program has started. */
  onStarted?: () => void
  /** Stops the program this long after it started (not counting the launcher's own start-up); `onTimeout` runs then. */
  timeoutMs?: number
  onTimeout?: () => void
  onStdout?: (chunk: Buffer) => void
  onStderr?: (chunk: Buffer) => void
  /** Aborting kills the program and everything it started. */
  signal?: AbortSignal
}

const START_TIMEOUT_MS = 15_000
/** How long the launcher may take to say a program started (or could not). */
const START_ANSWER_MS = 10_000
/** How long a program may take to end once stopped. */
const STOP_GRACE_MS = 5_000

/** The launcher stopped before the program could start, or while it ran. */
export class LauncherStoppedError extends Error {}

let launcher: Promise<ChildChannel<LauncherChannel>> | null = null

/** PATH with only its absolute entries: a relative one would let a working directory (a workspace) supply programs. */
export function absolutePath(): string {
  return (process.env.PATH ?? '/usr/bin:/bin')
    .split(delimiter)
    .filter((entry) => isAbsolute(entry))
    .join(delimiter)
}

function startedLauncher(): Promise<ChildChannel<LauncherChannel>> {
  const starting = (launcher ??= ChildChannel.start<LauncherChannel>({
    name: 'the process launcher',
    file: plainNodePath(),
    args: [resolveEntryPoint('process-launcher')],
    // Only to find `node`: every program it starts is given its whole environment.
    env: { PATH: absolutePath() },
    startTimeoutMs: START_TIMEOUT_MS,
    keepsParentAlive: 'while-busy'
  }).then(
    (channel) => {
      channel.onExit(() => {
        if (launcher === starting) launcher = null
      })
      return channel
    },
    (error: unknown) => {
      if (launcher === starting) launcher = null
      throw error
    }
  ))
  return starting
}

/**
 * Runs a program to its end. Rejects when it cannot be started, and when the launcher stopped under
 * it: the program's process group is then killed from here. A launcher that does not say within
 * START_ANSWER_MS that the program started is killed: every program it ran then fails, and the next
 * one gets a new launcher. A program still running STOP_GRACE_MS after it was stopped fails alone.
 */
export async function launchProgram(program: ProgramLaunch): Promise<LaunchExit> {
  const notStarted = (): Error => new Error(`${program.file} was stopped before it started`)
  if (program.signal?.aborted) throw notStarted()
  let channel = await startedLauncher()
  // Known dead by now: the next one is already on its way. (One that died but whose end is not yet
  // known fails the program, which is not sent again: it may have started.)
  if (!channel.alive) channel = await startedLauncher()
  if (program.signal?.aborted) throw notStarted()
  const input = program.input === undefined ? null : Buffer.from(program.input).toString('base64')
  let group: number | null = null
  let wedged: string | null = null
  let watch: NodeJS.Timeout | null = null
  // A program not stopped in time (stuck in the kernel, where a kill waits for its call to end) is
  // given up on alone, its group killed from here too; a launcher that does not start a program in
  // time is itself stuck, and is replaced.
  const abandon = new AbortController()
  const watchFor = (ms: number, what: 'start' | 'stop'): void => {
    if (watch !== null) clearTimeout(watch)
    watch = setTimeout(() => {
      if (what === 'start') {
        wedged = `the process launcher did not start ${program.file} within ${ms / 1000} s, and was stopped`
        channel.kill()
        return
      }
      if (group !== null) killGroup(group)
      abandon.abort(new LauncherStoppedError(`${program.file} did not stop within ${ms / 1000} s of being killed; it was given up on`))
    }, ms)
  }
  const onProgress = (progress: LaunchProgress): void => {
    switch (progress.kind) {
      case 'started':
        group = progress.pid
        if (!stopped.aborted && watch !== null) clearTimeout(watch)
        if (program.timeoutMs !== undefined) {
          deadline = setTimeout(() => {
            program.onTimeout?.()
            timedOut.abort()
          }, program.timeoutMs)
        }
        program.onStarted?.()
        return
      case 'stdout':
        program.onStdout?.(Buffer.from(progress.data, 'base64'))
        return
      case 'stderr':
        program.onStderr?.(Buffer.from(progress.data, 'base64'))
        return
      default:
        assertNever(progress, 'launch progress')
    }
  }
  const settled = new AbortController()
  const timedOut = new AbortController()
  let deadline: NodeJS.Timeout | null = null
  const stopped = program.signal === undefined ? timedOut.signal : AbortSignal.any([program.signal, timedOut.signal])
  stopped.addEventListener('abort', () => watchFor(STOP_GRACE_MS, 'stop'), { once: true, signal: settled.signal })
  watchFor(START_ANSWER_MS, 'start')
  const request = {
    file: program.file,
    args: program.args,
    cwd: program.cwd,
    env: program.env,
    input,
    maxStdoutBytes: program.maxStdoutBytes ?? null,
    maxStderrBytes: program.maxStderrBytes ?? null
  }
  try {
    return await channel.request(request, { signal: stopped, abandon: abandon.signal, onProgress })
  } catch (error) {
    if (!(error instanceof ChildExitedError)) throw error
    if (group !== null) killGroup(group)
    throw new LauncherStoppedError(wedged ?? `${error.message}${group === null ? ' before the program started' : ' while the program ran'}`)
  } finally {
    settled.abort()
    if (watch !== null) clearTimeout(watch)
    if (deadline !== null) clearTimeout(deadline)
  }
}

/** The launcher's process id while it runs, for diagnostics. */
export async function launcherPid(): Promise<number | null> {
  return (await startedLauncher()).pid
}
