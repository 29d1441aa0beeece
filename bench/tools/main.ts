// Tool latency through the whole path the run driver uses (runtime -> tool host -> tool):
// the shell round trip for `true` inside bubblewrap and without it, the script tool's cold start
// (first call of a run: the sandboxed runner process and its first isolate) and warm start (a
// fresh isolate per call, prepared while idle), and a small read_file. Targets: sandboxed round
// trip median < 50 ms, warm script median < 5 ms.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { SandboxedToolRuntime } from '../../src-main/node/tools/sandboxed-tool-runtime'
import type { ToolCallResult, ToolRuntime } from '../../src-main/node/tools/tool-runtime'

interface Stats {
  samples: number
  median: number
  p95: number
  min: number
  max: number
}

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (fraction: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0
  return { samples: sorted.length, median: at(0.5), p95: at(0.95), min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 }
}

let callNumber = 0

async function call(runtime: ToolRuntime, runId: string, name: string, args: unknown): Promise<{ ms: number; result: ToolCallResult }> {
  callNumber++
  const started = performance.now()
  const result = await runtime.execute({ runId, callId: `bench_${callNumber}`, call: runtime.registry.prepareOrThrow(name, JSON.stringify(args)) })
  const ms = performance.now() - started
  if (result.status !== 'ok') throw new Error(`${name} failed: ${result.output}`)
  return { ms, result }
}

async function repeat(count: number, work: () => Promise<number>): Promise<number[]> {
  const values: number[] = []
  for (let index = 0; index < count; index++) values.push(await work())
  return values
}

const { values: options } = parseArgs({ options: { json: { type: 'boolean' }, samples: { type: 'string' } } })
const SAMPLES = Number(options.samples ?? '300')
const WARMUP = 20
const COLD_RUNS = 8

const base = realpathSync(mkdtempSync('/var/tmp/tether-bench-tools-'))
const workspace = join(base, 'repo')
mkdirSync(workspace)
writeFileSync(join(workspace, 'README.md'), '# bench\n\nA small file to read.\n')
const runtime = new SandboxedToolRuntime()
const context = (runId: string, unsandboxed: boolean) => ({ runId, workspace, artifactsDir: join(base, 'artifacts'), networkAllowlist: [], unsandboxed })

try {
  const openSandboxed = performance.now()
  await runtime.openRun(context('sandboxed', false))
  const openSandboxedMs = performance.now() - openSandboxed
  const openPlain = performance.now()
  await runtime.openRun(context('plain', true))
  const openPlainMs = performance.now() - openPlain

  const shellRoundTrip = async (runId: string): Promise<number[]> => {
    await repeat(WARMUP, async () => (await call(runtime, runId, 'shell', { command: 'true', timeout_ms: null })).ms)
    return repeat(SAMPLES, async () => (await call(runtime, runId, 'shell', { command: 'true', timeout_ms: null })).ms)
  }
  // Interleave the two so machine load affects both alike.
  const sandboxed: number[] = []
  const plain: number[] = []
  for (let round = 0; round < 3; round++) {
    sandboxed.push(...(await shellRoundTrip('sandboxed')).slice(0, Math.ceil(SAMPLES / 3)))
    plain.push(...(await shellRoundTrip('plain')).slice(0, Math.ceil(SAMPLES / 3)))
  }

  const cold: number[] = []
  for (let index = 0; index < COLD_RUNS; index++) {
    const runId = `cold-${index}`
    await runtime.openRun(context(runId, false))
    cold.push((await call(runtime, runId, 'script', { code: '1 + 1' })).ms)
    await runtime.closeRun(runId)
  }
  await call(runtime, 'sandboxed', 'script', { code: '1 + 1' })
  await repeat(WARMUP, async () => (await call(runtime, 'sandboxed', 'script', { code: '1 + 1' })).ms)
  const runnerWall: number[] = []
  const warm = await repeat(SAMPLES, async () => {
    const { ms, result } = await call(runtime, 'sandboxed', 'script', { code: '1 + 1' })
    runnerWall.push((JSON.parse(result.output) as { wallMs: number }).wallMs)
    return ms
  })
  const readFile = await repeat(SAMPLES, async () => (await call(runtime, 'sandboxed', 'read_file', { path: 'README.md', start_line: null, end_line: null })).ms)

  const report = {
    node: process.version,
    cpus: cpus().length,
    loadAverage: loadavg().map((value) => Number(value.toFixed(2))),
    openRunMs: { sandboxed: openSandboxedMs, unsandboxed: openPlainMs },
    shellTrue: { sandboxed: stats(sandboxed), unsandboxed: stats(plain), medianRatio: stats(sandboxed).median / stats(plain).median, targetMedianMs: 50 },
    script: { cold: stats(cold), warm: stats(warm), warmInsideRunner: stats(runnerWall), targetWarmMedianMs: 5 },
    readFile: stats(readFile)
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
  } else {
    const ms = (value: number): string => `${value.toFixed(2).padStart(8)} ms`
    const row = (label: string, s: Stats): string => `  ${label.padEnd(40)} median ${ms(s.median)}   p95 ${ms(s.p95)}   min ${ms(s.min)}   (${s.samples} samples)`
    const verdict = (value: number, target: number): string => (value < target ? `meets the < ${target} ms target` : `MISSES the < ${target} ms target`)
    process.stdout.write(
      [
        `tool benchmark: node ${report.node}, ${report.cpus} CPUs, load average ${report.loadAverage.join(' ')}`,
        `open a run (start the shell): sandboxed ${openSandboxedMs.toFixed(1)} ms, unsandboxed ${openPlainMs.toFixed(1)} ms`,
        '',
        'shell round trip for `true` (runtime -> tool host -> PTY -> back)',
        row('in bubblewrap', report.shellTrue.sandboxed),
        row('without the sandbox', report.shellTrue.unsandboxed),
        `  ratio of medians ${report.shellTrue.medianRatio.toFixed(2)}; sandboxed ${verdict(report.shellTrue.sandboxed.median, 50)}`,
        '',
        'script `1 + 1` (fresh isolate per call)',
        row('cold: first call of a run', report.script.cold),
        row('warm: later calls', report.script.warm),
        row('warm, inside the runner only', report.script.warmInsideRunner),
        `  warm ${verdict(report.script.warm.median, 5)}`,
        '',
        row('read_file of a small file', report.readFile),
        ''
      ].join('\n')
    )
  }
} finally {
  await runtime.close()
  rmSync(base, { recursive: true, force: true })
}
