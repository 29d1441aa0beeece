import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { bundleForNode } from '../../test-support/node-bundle'
import { waitForExit } from '../tools/shell/process-tree'
import { launcherPid, launchProgram, type ProgramLaunch } from './process-launcher'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const folders: string[] = []

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true })
})

async function run(program: Omit<ProgramLaunch, 'onStdout' | 'onStderr' | 'cwd' | 'env'> & Partial<ProgramLaunch>) {
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  const exit = await launchProgram({ cwd: '/', env: { PATH: '/usr/bin:/bin' }, ...program, onStdout: (chunk) => stdout.push(chunk), onStderr: (chunk) => stderr.push(chunk) })
  return { exit, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8') }
}

/** A shell script whose first line of output (a process id) goes to `onFirstLine`. */
function shellReporting(script: string, onFirstLine: (pid: number) => void, signal?: AbortSignal) {
  return launchProgram({ file: '/bin/sh', args: ['-c', script], cwd: '/', env: { PATH: '/usr/bin:/bin' }, signal, onStdout: (chunk) => onFirstLine(Number(chunk.toString().trim())) })
}

/** Whether `pid` has ended (a zombie counts: it runs nothing), waiting up to 5 s for it. */
async function gone(pid: number): Promise<boolean> {
  return (await waitForExit([pid], 5_000)).length === 0
}

describe('the process launcher', () => {
  it("passes a program's input, output, errors and exit code through unchanged, bytes included", async () => {
    const bytes = Buffer.from(Array.from({ length: 256 * 4 }, (_, index) => index % 256))
    expect(await run({ file: '/bin/cat', args: [], input: bytes })).toEqual({ exit: { code: 0, signal: null }, stdout: bytes, stderr: '' })
    const failing = await run({ file: '/bin/sh', args: ['-c', 'printf "%s" "$WHO" >&2; exit 7'], env: { WHO: 'only what it was given' } })
    expect({ ...failing, stdout: failing.stdout.toString() }).toEqual({ exit: { code: 7, signal: null }, stdout: '', stderr: 'only what it was given' })
    const large = await run({ file: '/usr/bin/head', args: ['-c', '3000000', '/dev/urandom'] })
    expect(large.stdout.length).toBe(3_000_000)
  })

  it('kills the whole process group when stopped, and what a program left behind once it has exited', async () => {
    const stopper = new AbortController()
    let child = 0
    const stopped = shellReporting(
      'sleep 600 & echo $!; wait',
      (pid) => {
        child = pid
        stopper.abort()
      },
      stopper.signal
    )
    expect(await stopped).toEqual({ code: null, signal: 'SIGKILL' })
    expect(child).toBeGreaterThan(0)
    expect(await gone(child)).toBe(true)

    const leftover = await run({ file: '/bin/sh', args: ['-c', 'sleep 600 >/dev/null & echo $!'] })
    expect(leftover.exit).toEqual({ code: 0, signal: null })
    expect(await gone(Number(leftover.stdout.toString().trim()))).toBe(true)
  })

  it('stops a program at its deadline, counted from its start, and says so', async () => {
    let timedOut = false
    const ended = await run({ file: '/bin/sleep', args: ['600'], timeoutMs: 200, onTimeout: () => (timedOut = true) })
    expect({ exit: ended.exit, timedOut }).toEqual({ exit: { code: null, signal: 'SIGKILL' }, timedOut: true })
  })

  it("sends at most the output asked for, and stops a program that writes more", async () => {
    const capped = await run({ file: '/bin/sh', args: ['-c', 'head -c 10000000 /dev/zero; echo finished >&2'], maxStdoutBytes: 1000 })
    expect({ exit: capped.exit, bytes: capped.stdout.length, stderr: capped.stderr }).toEqual({ exit: { code: null, signal: 'SIGKILL' }, bytes: 1000, stderr: '' })
    const exact = await run({ file: '/usr/bin/head', args: ['-c', '1000', '/dev/zero'], maxStdoutBytes: 1000 })
    expect({ exit: exact.exit, bytes: exact.stdout.length }).toEqual({ exit: { code: 0, signal: null }, bytes: 1000 })
  })

  it("runs in a session of its own, out of reach of the terminal's Ctrl-C and hang-up", async () => {
    // Fields after the command's closing parenthesis: state, parent, process group, session.
    const groupAndSession = (pid: number | 'self'): string[] => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ').slice(2, 4)
    const pid = await launcherPid()
    const [group, session] = groupAndSession(pid!)
    expect({ group, session }).toEqual({ group: String(pid), session: String(pid) })
    expect(groupAndSession('self')).not.toContain(String(pid))
  })

  it('gives up on a program that does not end once stopped, killing its group from here', async () => {
    const pid = await launcherPid()
    const stopper = new AbortController()
    let program = 0
    const waiting = shellReporting(
      'echo $$; exec sleep 600',
      (started) => {
        program = started
        // A stopped launcher cannot kill it, as one whose program is stuck in the kernel cannot end it.
        process.kill(pid!, 'SIGSTOP')
        stopper.abort()
      },
      stopper.signal
    )
    try {
      await expect(waiting).rejects.toThrow('/bin/sh did not stop within 5 s of being killed; it was given up on')
      expect(await gone(program)).toBe(true)
    } finally {
      process.kill(pid!, 'SIGCONT')
    }
    expect((await run({ file: '/bin/echo', args: ['same launcher'] })).stdout.toString()).toBe('same launcher\n')
    expect(await launcherPid()).toBe(pid)
  }, 30_000)

  it('enters the working directory before the program runs, and runs nothing where it cannot', async () => {
    const folder = mkdtempSync(join(ROOT, 'out', '.launcher-test-'))
    folders.push(folder)
    expect((await run({ file: '/bin/pwd', args: [], cwd: folder })).stdout.toString()).toBe(`${folder}\n`)
    const marker = join(folder, 'ran')
    const missing = await run({ file: '/bin/sh', args: ['-c', `touch ${marker}`], cwd: join(folder, 'missing') })
    expect({ exit: missing.exit, said: /can't cd|No such file/.test(missing.stderr), ran: existsSync(marker) }).toEqual({ exit: { code: 127, signal: null }, said: true, ran: false })
  })

  it('replaces a launcher that does not say a program started, as one stuck starting it in a dead mount would', async () => {
    const pid = await launcherPid()
    process.kill(pid!, 'SIGSTOP')
    await expect(run({ file: '/bin/echo', args: ['never'] })).rejects.toThrow('the process launcher did not start /bin/echo within 10 s, and was stopped')
    expect(await gone(pid!)).toBe(true)
    expect((await run({ file: '/bin/echo', args: ['replaced'] })).stdout.toString()).toBe('replaced\n')
  }, 30_000)

  it('never starts a program whose signal aborted before it was sent', async () => {
    const folder = mkdtempSync(join(ROOT, 'out', '.launcher-test-'))
    folders.push(folder)
    const marker = join(folder, 'ran')
    await expect(run({ file: '/bin/sh', args: ['-c', `touch ${marker}`], signal: AbortSignal.abort() })).rejects.toThrow('/bin/sh was stopped before it started')
    expect(existsSync(marker)).toBe(false)
  })

  it('sends at most the standard error asked for, and lets the program finish', async () => {
    const flood = await run({ file: '/bin/sh', args: ['-c', 'head -c 1000000 /dev/zero >&2; echo finished'], maxStderrBytes: 100 })
    expect({ exit: flood.exit, stdout: flood.stdout.toString(), stderr: flood.stderr.length }).toEqual({ exit: { code: 0, signal: null }, stdout: 'finished\n', stderr: 100 })
  })

  it('refuses a program that cannot start, and stays usable', async () => {
    await expect(run({ file: '/nonexistent/program', args: [] })).rejects.toThrow(/ENOENT/)
    expect((await run({ file: '/bin/echo', args: ['still here'] })).stdout.toString()).toBe('still here\n')
  })

  it('fails what waited on a launcher that died, and starts another for the next program', async () => {
    const first = await launcherPid()
    let program = 0
    const waiting = shellReporting('echo $$; exec sleep 600', (started) => {
      program = started
      process.kill(first!, 'SIGKILL')
    })
    await expect(waiting).rejects.toThrow('the process launcher stopped unexpectedly (signal SIGKILL)')
    expect(await gone(program)).toBe(true)
    expect((await run({ file: '/bin/echo', args: ['again'] })).stdout.toString()).toBe('again\n')
    expect(await launcherPid()).not.toBe(first)
  })

  it('does not keep its host running once nothing waits on it', async () => {
    // Inside the project, so the built launcher is found the way the app finds it.
    mkdirSync(join(ROOT, 'out'), { recursive: true })
    const folder = mkdtempSync(join(ROOT, 'out', '.launcher-test-'))
    folders.push(folder)
    const script = await bundleForNode('src-main/test-support/children/launch-then-end.ts', folder)
    const host = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 })
    expect({ status: host.status, signal: host.signal, stdout: host.stdout }).toEqual({
      status: 0,
      signal: null,
      stdout: JSON.stringify({ exit: { code: 0, signal: null }, stdout: 'launched\n' })
    })
  }, 120_000)
})
