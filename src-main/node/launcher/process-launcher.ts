// The host's way to start a program: through the process launcher (see launcher-main.ts), one per
// host process, started by the first launch and again after it dies. It holds the host open only
// while a program it started runs.
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
  onStdout?: (chunk: Buffer) => void
  onStderr?: (chunk: Buffer) => void
  /** Aborting kills the program and everything it started. */
  signal?: AbortSignal
}

const START_TIMEOUT_MS = 15_000

let launcher: Promise<ChildChannel<LauncherChannel>> | null = null

function startedLauncher(): Promise<ChildChannel<LauncherChannel>> {
  const starting = (launcher ??= ChildChannel.start<LauncherChannel>({
    name: 'the process launcher',
    file: plainNodePath(),
    args: [resolveEntryPoint('process-launcher')],
    // Only to find `node`: every program it starts is given its whole environment.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
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
 * Runs a program to its end; rejects when it cannot be started, or when the launcher stopped under
 * it (the program's process group is then killed from here).
 */
export async function launchProgram(program: ProgramLaunch): Promise<LaunchExit> {
  const channel = await startedLauncher()
  const input = program.input === undefined ? null : Buffer.from(program.input).toString('base64')
  let group: number | null = null
  const onProgress = (progress: LaunchProgress): void => {
    switch (progress.kind) {
      case 'started':
        group = progress.pid
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
  try {
    return await channel.request({ file: program.file, args: program.args, cwd: program.cwd, env: program.env, input }, { signal: program.signal, onProgress })
  } catch (error) {
    if (error instanceof ChildExitedError && group !== null) killGroup(group)
    throw error
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

/** The launcher's process id while it runs, for diagnostics. */
export async function launcherPid(): Promise<number | null> {
  return (await startedLauncher()).pid
}
