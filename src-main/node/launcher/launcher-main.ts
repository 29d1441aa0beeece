// Entry of the process launcher: a small Node child of the host that starts processes for it.
// Starting a process forks the one that starts it, and a fork stalls its parent for as long as
// copying the parent's memory map takes: about 1 ms from this small process, 16 ms from a host
// holding 250 MB and 33 ms at 850 MB, during which the host serves no run and no window.
// Each program runs in its own group, killed whole when it is stopped and as soon as it exits.
import { spawn } from 'node:child_process'
import { serveChannel, type RequestContext } from '../tools/channel/serve-channel'
import type { LaunchExit, LauncherChannel, LaunchRequest } from './launcher-protocol'

function killGroup(pid: number | undefined): void {
  try {
    if (pid !== undefined) process.kill(-pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

function launch(request: LaunchRequest, { progress, signal }: RequestContext<LauncherChannel>): Promise<LaunchExit> {
  return new Promise((resolve, reject) => {
    const child = spawn(request.file, request.args, {
      cwd: request.cwd,
      env: request.env,
      stdio: [request.input === null ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true
    })
    const stop = (): void => killGroup(child.pid)
    signal.addEventListener('abort', stop, { once: true })
    if (child.pid !== undefined) progress({ kind: 'started', pid: child.pid })
    child.stdout?.on('data', (chunk: Buffer) => progress({ kind: 'stdout', data: chunk.toString('base64') }))
    child.stderr?.on('data', (chunk: Buffer) => progress({ kind: 'stderr', data: chunk.toString('base64') }))
    if (request.input !== null && child.stdin) {
      child.stdin.on('error', () => undefined)
      child.stdin.end(Buffer.from(request.input, 'base64'))
    }
    child.on('error', (error) => {
      signal.removeEventListener('abort', stop)
      reject(error)
    })
    // What the program left running dies with its exit: a leftover holding the output pipes open
    // would otherwise keep the call waiting for their end.
    child.on('exit', stop)
    child.on('close', (code, exitSignal) => {
      signal.removeEventListener('abort', stop)
      resolve({ code, signal: exitSignal })
    })
  })
}

serveChannel<LauncherChannel>(launch)
