// The host's way to start a program: through the process launcher (see launcher-main.ts), one per
// host process, started by the first launch and again after it dies. It holds the host open only
// while a program it started runs.
import { delimiter, isAbsolute } from 'node:path'
import { assertNever } from '../../common/run/records'
import { ChildChannel, ChildExitedError } from '../tools/channel/child-channel'
import { plainNodePath, resolveEntryPoint } from '../tools/entry-point'
import type { LaunchExit, LauncherChannel, LaunchProgress } from './launcher-protocol'

export interface ProgramLaunch {
  file: string
  args: string[]
  cwd: string
  env: Record<string, string>
  input?: string | Buffer
  /** At most this many bytes reach `onStdout`; a program that writes more is stopped. */
  maxStdoutBytes?: number
  /** Runs once the program has started (a deadline counts from here, not from the launcher's own start). */
  onStarted?: () => void
  onStdout?: (chunk: Buffer) => void
  onStderr?: (chunk: Buffer) => void
  /** Aborting kills the program and everything it started. */
  signal?: AbortSignal
}

const START_TIMEOUT_MS = 15_000
/** How long the launcher has to stop a program once asked, before the host kills it itself and gives up on it. */
const STOP_GRACE_MS = 5_000

/** The launcher stopped before the program could start, or while it ran. */
export class LauncherStoppedError extends Error {}

let launcher: Promise<ChildChannel<LauncherChannel>> | null = null

/** Only absolute PATH entries: a relative one would let the working directory supply `node`. */
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

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

/**
 * Runs a program to its end. Rejects when it cannot be started; when the launcher stopped under it
 * (its process group is then killed from here); and when the launcher has not stopped it within
 * STOP_GRACE_MS of the signal aborting (likewise).
 */
export async function launchProgram(program: ProgramLaunch): Promise<LaunchExit> {
  let channel = await startedLauncher()
  // Known dead by now: the next one is already on its way. (One that died but whose end is not yet
  // known fails the program, which is not sent again: it may have started.)
  if (!channel.alive) channel = await startedLauncher()
  const input = program.input === undefined ? null : Buffer.from(program.input).toString('base64')
  let group: number | null = null
  const onProgress = (progress: LaunchProgress): void => {
    switch (progress.kind) {
      case 'started':
        group = progress.pid
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
  const stopped = new AbortController()
  let graceTimer: NodeJS.Timeout | null = null
  const graceOver = new Promise<never>((_, reject) => {
    const onAbort = (): void => {
      graceTimer = setTimeout(() => reject(new LauncherStoppedError(`the process launcher did not stop ${program.file} within ${STOP_GRACE_MS / 1000} s`)), STOP_GRACE_MS)
    }
    if (program.signal?.aborted) onAbort()
    else program.signal?.addEventListener('abort', onAbort, { once: true, signal: stopped.signal })
  })
  graceOver.catch(() => undefined)
  const request = { file: program.file, args: program.args, cwd: program.cwd, env: program.env, input, maxStdoutBytes: program.maxStdoutBytes ?? null }
  try {
    return await Promise.race([channel.request(request, { signal: program.signal, onProgress }), graceOver])
  } catch (error) {
    if (error instanceof ChildExitedError) {
      if (group !== null) killGroup(group)
      throw new LauncherStoppedError(`${error.message}${group === null ? ' before the program started' : ' while the program ran'}`)
    }
    if (error instanceof LauncherStoppedError && group !== null) killGroup(group)
    throw error
  } finally {
    stopped.abort()
    if (graceTimer !== null) clearTimeout(graceTimer)
  }
}

/** The launcher's process id while it runs, for diagnostics. */
export async function launcherPid(): Promise<number | null> {
  return (await startedLauncher()).pid
}
