// The runtime end to end: the real tool host, real PTYs in real bubblewrap.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { SandboxedToolRuntime } from './sandboxed-tool-runtime'
import { CountingHttpServer, hostAddress, processesMatching } from '../../test-support/tools/probes'
import { removeScratch, scratchDir } from '../../test-support/tools/scratch'
import type { RunToolContext, ToolCallObserver, ToolCallResult } from './tool-runtime'
import { builtinTools } from './builtin'

const root = scratchDir('runtime')
const ws = join(root, 'ws')
const artifactsDir = join(root, 'artifacts')
let runtime: SandboxedToolRuntime
let callNumber = 0

function context(runId: string, overrides: Partial<RunToolContext> = {}): RunToolContext {
  return { runId, workspace: ws, artifactsDir, networkAllowlist: [], unsandboxed: false, ...overrides }
}

function shell(command: string, timeoutMs: number | null = 10_000, observer: ToolCallObserver = {}, runId = 'main', on = runtime): Promise<ToolCallResult> {
  callNumber++
  return on.execute({ runId, callId: `call_${callNumber}`, call: builtinTools.prepareOrThrow('shell', JSON.stringify({ command, timeout_ms: timeoutMs })) }, observer)
}

beforeAll(async () => {
  mkdirSync(join(ws, 'sub'), { recursive: true })
  runtime = new SandboxedToolRuntime()
  await runtime.openRun(context('main'))
})

afterAll(async () => {
  await runtime?.close()
  removeScratch(root)
})

describe('the interface', () => {
  test('runs the built-in tools', () => {
    expect(runtime.registry).toBe(builtinTools)
  })

  test('a call for a run that is not open is answered as an error', async () => {
    expect(await runtime.execute({ runId: 'nope', callId: 'bad3', call: builtinTools.prepareOrThrow('list_dir', '{"path":"."}') })).toEqual({
      status: 'error',
      exitCode: null,
      output: 'run nope is not open',
      artifactPath: null,
      durationMs: expect.any(Number) as number,
      hostWaitMs: 0
    })
  })
})

describe('the persistent shell', () => {
  test('keeps the working directory and variables between calls', async () => {
    expect((await shell('cd sub && export GREETING=hello && LOCAL=kept')).status).toBe('ok')
    expect((await shell('echo "$PWD $GREETING $LOCAL"')).output).toBe(`${join(ws, 'sub')} hello kept\n[exit code 0]`)
    await shell(`cd ${ws}`)
  })

  test('reports a failing command with its exit code', async () => {
    expect(await shell('echo oops >&2; false')).toMatchObject({ status: 'error', exitCode: 1, output: 'oops\n[exit code 1]' })
  })

  test('the terminal view gets raw PTY bytes, the model gets plain text', async () => {
    const raw: string[] = []
    const result = await shell("printf '\\033[31mred\\033[0m\\n'", 10_000, { onOutput: (data) => raw.push(data) })
    expect(raw.join('')).toBe('\x1b[31mred\x1b[0m\r\n')
    expect(result.output).toBe('red\n[exit code 0]')
  })

  test('long output: head and tail for the model, everything in the artifact', async () => {
    const result = await shell('seq 1 200000')
    expect(result.artifactPath).toBe(join(artifactsDir, `call_${callNumber}.txt`))
    const artifact = readFileSync(result.artifactPath as string, 'utf8')
    expect(artifact.length).toBe(1_288_895)
    expect(artifact.endsWith('199999\n200000\n')).toBe(true)
    expect(result.output.startsWith('1\n2\n3\n')).toBe(true)
    expect(result.output).toMatch(/\n\[\.\.\. [\d,]+ bytes in [\d,]+ lines omitted; the full output is in .*call_\d+\.txt \.\.\.\]\n/)
    expect(result.output.endsWith('199999\n200000\n[exit code 0]')).toBe(true)
    expect(result.output.length).toBeLessThan(17 * 1024)
  })

  test('a timeout kills the call and a new shell continues where the last finished call left off', async () => {
    await shell('cd sub && export KEPT=yes')
    const timedOut = await shell('cd / && export KEPT=no && sleep 30', 300)
    expect(timedOut).toMatchObject({ status: 'timeout', exitCode: null })
    expect(timedOut.output).toBe(
      '[timed out after 300 ms; every process of the call was killed]\n[A new shell was started (working directory and exported variables as after the last finished call).]'
    )
    expect((await shell('echo "$PWD $KEPT"')).output).toBe(`${join(ws, 'sub')} yes\n[exit code 0]`)
    await shell(`cd ${ws}`)
  })

  test('an interrupt stops the call at once and leaves no process behind', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 200)
    const result = await shell('nohup sleep 4321 >/dev/null 2>&1 & sleep 4322', 60_000, { signal: controller.signal })
    expect(result.status).toBe('interrupted')
    // Long before the call's own 60 s limit, however busy the machine.
    expect(result.durationMs).toBeLessThan(60_000)
    expect(processesMatching('sleep 432')).toEqual([])
  })

  test('closing a run kills its running call at once instead of waiting for it, and leaves no process behind', async () => {
    await runtime.openRun(context('closing'))
    const running = shell('nohup sleep 4331 >/dev/null 2>&1 & sleep 4332', 600_000, {}, 'closing')
    await expect.poll(() => processesMatching('sleep 433').length, { timeout: 20_000 }).toBe(2)
    // The call may run for 600 s: closing returns long before that, however busy the machine.
    await runtime.closeRun('closing')
    expect(await running).toMatchObject({ status: 'interrupted', exitCode: null, output: '[interrupted; every process of the call was killed]' })
    expect(processesMatching('sleep 433')).toEqual([])
  })

  test('a command that turns terminal echo back on does not leak the typed line into later output', async () => {
    expect((await shell('stty echo </dev/tty; echo changed')).output).toBe('changed\n[exit code 0]')
    expect((await shell('echo clean')).output).toBe('clean\n[exit code 0]')
  })

  test('exit ends the shell; the next call gets a new one', async () => {
    expect(await shell('exit 3')).toMatchObject({ status: 'error', exitCode: 3 })
    expect((await shell('echo alive')).output).toBe('alive\n[exit code 0]')
  })

  test('calls of one run queue for the shell', async () => {
    const [first, second] = await Promise.all([shell('sleep 0.3; echo first'), shell('echo second')])
    expect(first?.output).toBe('first\n[exit code 0]')
    expect(second?.output).toBe('second\n[exit code 0]')
    expect(second?.hostWaitMs).toBeGreaterThan(250)
  })
})

describe('the tool host', () => {
  test('when it dies, the call in flight fails clearly, nothing survives, and the next call works in a new host', async () => {
    await shell('cd sub && export AFTER_CRASH=restored')
    const before = runtime.hostPid as number
    const inFlight = shell('sleep 5678')
    await new Promise((resolve) => setTimeout(resolve, 300))
    process.kill(before, 'SIGKILL')
    const failed = await inFlight
    expect(failed.status).toBe('error')
    expect(failed.output).toBe(
      'the tool host stopped unexpectedly (signal SIGKILL) while this call was running; every process it started was stopped. The tool host is restarted for the next call.'
    )
    // The sandbox dies with its parent (bubblewrap's --die-with-parent), a moment after the host.
    await expect.poll(() => processesMatching('sleep 5678'), { timeout: 3000 }).toEqual([])
    expect((await shell('echo "$PWD $AFTER_CRASH"')).output).toBe(`${join(ws, 'sub')} restored\n[exit code 0]`)
    expect(runtime.hostPid).not.toBe(before)
  })
})

describe('fail closed', () => {
  test('without bubblewrap a run does not open, and says what is missing', async () => {
    const broken = new SandboxedToolRuntime({ tools: { bwrapPath: join(root, 'no-such-bwrap') } })
    try {
      await expect(broken.openRun(context('nobwrap'))).rejects.toThrow(
        `the OS sandbox is unavailable: bubblewrap is not installed (no executable at ${join(root, 'no-such-bwrap')}). Install the "bubblewrap" package, or choose to run without the OS sandbox (every command then asks for approval).`
      )
      expect((await shell('echo ran', 1000, {}, 'nobwrap', broken)).output).toBe('run nobwrap is not open')
    } finally {
      await broken.close()
    }
  })

  test('when bubblewrap cannot create namespaces, its own error is passed on with the likely cause', async () => {
    const fake = join(root, 'fake-bwrap')
    writeFileSync(fake, '#!/bin/sh\necho "bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces." >&2\nexit 1\n')
    chmodSync(fake, 0o755)
    const broken = new SandboxedToolRuntime({ tools: { bwrapPath: fake } })
    try {
      await expect(broken.openRun(context('nouserns'))).rejects.toThrow(
        'the OS sandbox could not start: the shell exited during start-up (exit status 1): bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces.. User namespaces may be disabled on this system'
      )
    } finally {
      await broken.close()
    }
  })
})

describe('network allowlist', () => {
  test('allowed hosts are reached through the proxy, others are blocked and reported', async () => {
    const server = await new CountingHttpServer().listen()
    const host = hostAddress()
    const withNetwork = new SandboxedToolRuntime()
    try {
      await withNetwork.openRun(context('net', { networkAllowlist: [host] }))
      const allowed = await shell(`curl -s -m 5 http://${host}:${server.port}/`, 10_000, {}, 'net', withNetwork)
      expect(allowed.output).toBe('reached the host\n[exit code 0]')
      expect(server.hits).toBe(1)
      const blocked = await shell(`curl -s -m 5 -o /dev/null -w '%{http_code}\\n' http://example.com/; curl -s -m 5 https://registry.npmjs.org/ >/dev/null`, 10_000, {}, 'net', withNetwork)
      expect(blocked.output).toBe(
        '403\n[exit code 56]\n[network: blocked a connection to example.com:80 (not in the network allowlist)]\n[network: blocked a connection to registry.npmjs.org:443 (not in the network allowlist)]'
      )
      const direct = await shell(`env -u http_proxy -u HTTP_PROXY -u ALL_PROXY -u all_proxy curl -s -m 2 http://${host}:${server.port}/`, 10_000, {}, 'net', withNetwork)
      expect(direct.status).toBe('error')
      expect(server.hits).toBe(1)
    } finally {
      await withNetwork.close()
      server.close()
    }
  })
})

describe('unsandboxed (the explicit setting)', () => {
  test('runs without bubblewrap, and a timeout still leaves no process behind', async () => {
    const unsandboxed = new SandboxedToolRuntime()
    try {
      await unsandboxed.openRun(context('bare', { unsandboxed: true }))
      const outsideFile = join(root, 'written-unsandboxed.txt')
      expect((await shell(`echo hi > ${outsideFile}; cat /proc/self/status | grep -c NoNewPrivs`, 10_000, {}, 'bare', unsandboxed)).status).toBe('ok')
      expect(existsSync(outsideFile)).toBe(true)
      const result = await shell('setsid sleep 8765 & nohup sleep 8766 >/dev/null 2>&1 & sleep 30', 300, {}, 'bare', unsandboxed)
      expect(result.status).toBe('timeout')
      expect(processesMatching('sleep 876')).toEqual([])
    } finally {
      await unsandboxed.close()
    }
  })
})
