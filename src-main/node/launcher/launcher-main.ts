// Entry of the process launcher: a small Node child of the host that starts programs for it.
// Starting a program forks the process that starts it, and a fork stalls its parent for as long as
// copying the parent's memory map takes: about 1 ms from this small process, 16 ms from a host
// holding 250 MB and 33 ms at 850 MB, during which the host serves no run and no window.
// Each program runs in its own group, killed whole when it is stopped and as soon as it exits.
// Output is sent on as it comes, but no faster than the host takes it in, and no more than asked.
// Like every channel child it runs in a session of its own (child-channel.ts), so the terminal's
// Ctrl-C does not stop a git command halfway through a write; what still runs is killed when the
// host disconnects.
import { spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { isAbsolute } from 'node:path'
import type { Readable } from 'node:stream'
import { serveChannel, type RequestContext } from '../tools/channel/serve-channel'
import type { LaunchExit, LauncherChannel, LaunchRequest } from './launcher-protocol'
import { killGroup } from './process-group'

/** Output messages written to the channel but not yet taken by it, past which reading pauses. */
const UNSENT_LIMIT = 16

/**
 * The program's working directory is entered by a shell that then becomes the program. Started
 * from `/`, the start cannot hang on a folder in a mount that stopped answering (the launcher waits
 * while a program starts), and a `cd` stuck there is killed with its group before the program
 * ever runs.
 */
const ENTER_THEN_RUN = 'cd -- "$1" || exit 127; shift; exec "$@"'

function launch(request: LaunchRequest, { progress, signal }: RequestContext<LauncherChannel>): Promise<LaunchExit> {
  return new Promise((resolve, reject) => {
    // What cannot be started is refused here, as a failed start, not as the shell's exit code 127.
    if (!isAbsolute(request.file)) throw new Error(`${request.file} is not an absolute path`)
    accessSync(request.file, constants.X_OK)
    const child = spawn('/bin/sh', ['-c', ENTER_THEN_RUN, 'sh', request.cwd, request.file, ...request.args], {
      cwd: '/',
      env: request.env,
      stdio: [request.input === null ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true
    })
    const stop = (): void => {
      if (child.pid !== undefined) killGroup(child.pid)
    }
    signal.addEventListener('abort', stop, { once: true })
    if (child.pid !== undefined) progress({ kind: 'started', pid: child.pid })
    const outputs = [child.stdout, child.stderr].filter((stream): stream is Readable => stream !== null)
    let unsent = 0
    const forward = (kind: 'stdout' | 'stderr', chunk: Buffer): void => {
      unsent++
      if (unsent === UNSENT_LIMIT) for (const stream of outputs) stream.pause()
      progress({ kind, data: chunk.toString('base64') }, () => {
        unsent--
        if (unsent === UNSENT_LIMIT / 2) for (const stream of outputs) stream.resume()
      })
    }
    let stdoutRoom = request.maxStdoutBytes ?? Number.POSITIVE_INFINITY
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.length > stdoutRoom) {
        stop()
        if (stdoutRoom > 0) forward('stdout', chunk.subarray(0, stdoutRoom))
        stdoutRoom = 0
        return
      }
      stdoutRoom -= chunk.length
      forward('stdout', chunk)
    })
    let stderrRoom = request.maxStderrBytes ?? Number.POSITIVE_INFINITY
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderrRoom <= 0) return
      forward('stderr', chunk.length > stderrRoom ? chunk.subarray(0, stderrRoom) : chunk)
      stderrRoom -= chunk.length
    })
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
