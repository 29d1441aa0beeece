// The script tool against code that tries to hurt: every case must end in a clear answer, leave
// the tool host alive, and leave the next call working.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { SandboxedToolRuntime } from './sandboxed-tool-runtime'
import { removeScratch, scratchDir } from '../../test-support/tools/scratch'
import type { ToolCallResult } from './tool-runtime'
import { builtinTools } from './builtin'

const root = scratchDir('script')
const ws = join(root, 'ws')
let runtime: SandboxedToolRuntime
let hostPid: number | null = null
let callNumber = 0

interface ScriptAnswer {
  status: string
  result: unknown
  error: string | null
  logs: Array<{ level: string; text: string }>
  droppedLogChars?: number
  resultPreview?: string
  resultChars?: number
}

const ROOMY_WALL_MS = 600_000

async function script(code: string, signal?: AbortSignal): Promise<{ result: ToolCallResult; answer: ScriptAnswer }> {
  callNumber++
  const result = await runtime.execute({ runId: 'script', callId: `s${callNumber}`, call: builtinTools.prepareOrThrow('script', JSON.stringify({ code })) }, { signal })
  return { result, answer: JSON.parse(result.output) as ScriptAnswer }
}

async function stillFine(): Promise<void> {
  const { answer } = await script('6 * 7')
  expect(answer.result).toBe(42)
  expect(runtime.hostPid).toBe(hostPid)
}

beforeAll(async () => {
  mkdirSync(join(ws, 'src'), { recursive: true })
  writeFileSync(join(ws, 'notes.txt'), 'first line\nsecond line\n')
  writeFileSync(join(ws, 'src', 'main.ts'), 'export const answer = 42 // FIXME\n')
  mkdirSync(join(root, 'outside'))
  writeFileSync(join(root, 'outside', 'secret.txt'), 'outside secret\n')
  // The wall-time quota is the one limit a busy machine can hit early, so it is far off here (its
  // own test below uses a short one); CPU and memory quotas keep their defaults.
  runtime = new SandboxedToolRuntime({ limits: { script: { wallMs: ROOMY_WALL_MS } } })
  await runtime.openRun({ runId: 'script', workspace: ws, artifactsDir: join(root, 'artifacts'), networkAllowlist: [], unsandboxed: false })
  hostPid = runtime.hostPid
})

afterAll(async () => {
  await runtime?.close()
  removeScratch(root)
})

describe('ordinary scripts', () => {
  test('the value of the last expression, with the logs', async () => {
    const { result, answer } = await script('console.log("hello", { a: 1 }, [2]); console.error("careful"); [1, 2, 3].map((x) => x * 2)')
    expect(result.status).toBe('ok')
    expect(answer).toEqual({
      status: 'returned',
      result: [2, 4, 6],
      error: null,
      logs: [
        { level: 'log', text: 'hello {"a":1} [2]' },
        { level: 'error', text: 'careful' }
      ],
      cpuMs: expect.any(Number),
      wallMs: expect.any(Number)
    })
  })

  test('top-level await runs as an async function body', async () => {
    const { answer } = await script('const text = tether.readFile("notes.txt"); await Promise.resolve(); return text.split("\\n")[1]')
    expect(answer.result).toBe('second line')
  })

  test('a returned promise is awaited; values that JSON cannot hold are described', async () => {
    expect((await script('Promise.resolve({ big: 10n, f: function named() {}, m: new Map([["k", 1]]) })')).answer.result).toEqual({
      big: '10n',
      f: '[Function named]',
      m: { k: 1 }
    })
    expect((await script('undefined')).answer.result).toBeNull()
  })

  test('the workspace API: read, list, search - and nothing outside it', async () => {
    // `.devcontainer`, `.git`, `.idea`, `.vscode` and `.zed` are the sandbox's empty placeholders while the run is open.
    expect((await script('tether.listDir(".")')).answer.result).toEqual([
      { name: '.devcontainer', type: 'directory', target: null },
      { name: '.git', type: 'directory', target: null },
      { name: '.idea', type: 'directory', target: null },
      { name: '.vscode', type: 'directory', target: null },
      { name: '.zed', type: 'directory', target: null },
      { name: 'notes.txt', type: 'file', target: null },
      { name: 'src', type: 'directory', target: null }
    ])
    expect((await script('tether.search("FIXME", null)')).answer.result).toEqual([{ path: 'src/main.ts', line: 1, text: 'export const answer = 42 // FIXME' }])
    const outside = await script('try { tether.readFile("../outside/secret.txt") } catch (e) { "refused: " + e.message }')
    expect(outside.answer.result).toBe(`refused: ../outside/secret.txt is outside the workspace (${ws})`)
    const absolute = await script(`tether.readFile(${JSON.stringify(join(root, 'outside', 'secret.txt'))})`)
    expect(absolute.answer.status).toBe('threw')
    expect(absolute.answer.error).toContain('is outside the workspace')
  })

  test('an exception keeps the logs written before it', async () => {
    const { result, answer } = await script('console.log("before"); throw new TypeError("boom")')
    expect(result.status).toBe('error')
    expect(answer.status).toBe('threw')
    expect(answer.error).toMatch(/^TypeError: boom/)
    expect(answer.logs).toEqual([{ level: 'log', text: 'before' }])
  })
})

describe('no way out of the isolate', () => {
  test('no require, process, fetch, timers, or a host object to climb back through', async () => {
    const { answer } = await script(`[
      typeof require, typeof process, typeof fetch, typeof setTimeout, typeof globalThis.__tether_read, typeof globalThis.__tether_run,
      typeof (function () { return this })().process, tether.readFile.constructor('return typeof process')(), Object.isFrozen(tether)
    ]`)
    expect(answer.result).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined', true])
  })

  test('import() finds no module loader', async () => {
    const { answer } = await script('await import("node:fs")')
    expect(answer.status).toBe('threw')
  })
})

describe('quotas', () => {
  test('an infinite loop hits the 2 s CPU limit', async () => {
    const { result, answer } = await script('for (;;) {}')
    expect(result.status).toBe('timeout')
    expect(answer).toMatchObject({ status: 'cpu-limit', error: 'the script used more than 2000 ms of CPU time and was stopped' })
    await stillFine()
  })

  test('a promise flood (an endless microtask chain) is stopped too', async () => {
    const { answer } = await script('(async () => { for (;;) await null })()')
    expect(['cpu-limit', 'memory-limit']).toContain(answer.status)
    await stillFine()
  })

  test('a memory bomb hits the 64 MiB memory limit', async () => {
    const { result, answer } = await script('const keep = []; for (;;) keep.push(new Array(1e5).fill(1.5))')
    expect(result.status).toBe('error')
    expect(answer).toMatchObject({ status: 'memory-limit', error: 'the script used more than its 64 MiB memory limit and was stopped' })
    await stillFine()
  })

  test('one huge allocation: V8 aborts the runner, the host lives on and starts a new runner', async () => {
    // Time quotas far off, so that only memory can end the script however slow the machine is.
    const roomy = new SandboxedToolRuntime({ limits: { script: { cpuMs: ROOMY_WALL_MS, wallMs: ROOMY_WALL_MS } } })
    try {
      await roomy.openRun({ runId: 'roomy', workspace: ws, artifactsDir: join(root, 'artifacts'), networkAllowlist: [], unsandboxed: false })
      const call = (code: string): Promise<ToolCallResult> => roomy.execute({ runId: 'roomy', callId: `r${++callNumber}`, call: builtinTools.prepareOrThrow('script', JSON.stringify({ code })) })
      const hostBefore = roomy.hostPid
      const result = await call('new Array(2e8).fill(0).length')
      const answer = JSON.parse(result.output) as ScriptAnswer
      expect(result.status).toBe('error')
      expect(['crashed', 'memory-limit']).toContain(answer.status)
      if (answer.status === 'crashed') expect(answer.error).toMatch(/^the script runner stopped \(exit code 134: catastrophic V8 error: /)
      expect((JSON.parse((await call('6 * 7')).output) as ScriptAnswer).result).toBe(42)
      expect(roomy.hostPid).toBe(hostBefore)
    } finally {
      await roomy.close()
    }
  }, 120_000)

  test('a huge string or buffer fails inside the isolate', async () => {
    expect((await script('"x".repeat(2 ** 30)')).answer.status).toBe('threw')
    expect(['threw', 'memory-limit']).toContain((await script('new Uint8Array(2 ** 31).length')).answer.status)
    await stillFine()
  })

  test('deep recursion ends in a RangeError', async () => {
    const { answer } = await script('function down(n) { return down(n + 1) + 1 } down(0)')
    expect(answer.status).toBe('threw')
    expect(answer.error).toMatch(/Maximum call stack size exceeded/)
    await stillFine()
  })

  test('huge output is capped and counted', async () => {
    const logs = await script('for (let i = 0; i < 100000; i++) console.log("line " + i + " " + "z".repeat(100)); "done"')
    expect(logs.answer.result).toBe('done')
    expect(logs.answer.logs.reduce((sum, log) => sum + log.text.length, 0)).toBe(16 * 1024)
    expect(logs.answer.droppedLogChars).toBeGreaterThan(10_000_000)
    expect(logs.result.output.length).toBeLessThan(40 * 1024)
    const big = await script('"y".repeat(1e6)')
    expect(big.answer).toMatchObject({ status: 'returned', result: null, resultChars: 1_000_002 })
    expect(big.answer.resultPreview?.length).toBe(16 * 1024)
    await stillFine()
  })

  test('an interrupt stops a running script', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 200)
    const { result, answer } = await script('for (;;) {}', controller.signal)
    expect(result.status).toBe('interrupted')
    expect(answer.status).toBe('interrupted')
    // Long before the wall-time quota (which would end it as a timeout), however busy the machine.
    expect(result.durationMs).toBeLessThan(60_000)
    await stillFine()
  })
})

describe('wall-time limit', () => {
  test('a script that waits forever is stopped at the wall limit', async () => {
    const short = new SandboxedToolRuntime({ limits: { script: { wallMs: 1000 } } })
    try {
      await short.openRun({ runId: 'wall', workspace: ws, artifactsDir: join(root, 'artifacts'), networkAllowlist: [], unsandboxed: false })
      const result = await short.execute({ runId: 'wall', callId: 'w1', call: builtinTools.prepareOrThrow('script', JSON.stringify({ code: 'await new Promise(() => {})' })) })
      expect(result.status).toBe('timeout')
      expect(JSON.parse(result.output)).toMatchObject({ status: 'wall-limit', error: 'the script ran longer than 1000 ms and was stopped' })
    } finally {
      await short.close()
    }
  })
})
