// The throughput benchmarks of the other parts (foundation: reducer, replay, append; tools: shell
// and script latency; policy: classification; ui: the update pipeline), run as their own scripts
// and gathered into one report. A script that prints JSON is included as data, any other output
// as text; a folder without a runnable script is reported as missing.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

export const THROUGHPUT_SUITES = [
  { name: 'foundation', covers: 'reducer, replay, log append' },
  { name: 'tools', covers: 'shell and script tool latency' },
  { name: 'policy', covers: 'command classification' },
  { name: 'ui', covers: 'UI update pipeline' }
] as const

export type SuiteName = (typeof THROUGHPUT_SUITES)[number]['name']

/** The script names a suite folder may use, in order of preference. */
const ENTRY_NAMES = ['run.mjs', 'run.js']

export type SuiteResult =
  | { name: SuiteName; covers: string; status: 'missing'; reason: string }
  | {
      name: SuiteName
      covers: string
      status: 'ok' | 'failed'
      command: string
      durationMs: number
      exitCode: number | null
      /** Parsed stdout when the script printed one JSON document. */
      json: unknown
      /** stdout otherwise (and stderr's tail when the script failed). */
      text: string | null
      stderr: string | null
    }

function parseJson(text: string): unknown {
  const trimmed = text.trim()
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined
  try {
    return JSON.parse(trimmed)
  } catch {
    return undefined
  }
}

function tail(text: string, lines: number): string {
  return text.trim().split('\n').slice(-lines).join('\n')
}

function runScript(root: string, script: string, timeoutMs: number, env: Record<string, string>): Promise<{ stdout: string; stderr: string; exitCode: number | null; durationMs: number }> {
  const startedAt = performance.now()
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => {
      stderr += `\nstopped after ${timeoutMs} ms`
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('close', (exitCode) => {
      clearTimeout(timer)
      resolve({ stdout, stderr, exitCode, durationMs: performance.now() - startedAt })
    })
  })
}

/** The variable naming the folder a suite writes its result files to instead of its own `results/`. */
export const RESULTS_DIR_VARIABLE = 'TETHER_BENCH_RESULTS_DIR'

export async function runSuite(root: string, suite: (typeof THROUGHPUT_SUITES)[number], timeoutMs: number, env: Record<string, string> = {}): Promise<SuiteResult> {
  const folder = join(root, 'bench', suite.name)
  if (!existsSync(folder)) return { name: suite.name, covers: suite.covers, status: 'missing', reason: `no bench/${suite.name} folder` }
  const entry = ENTRY_NAMES.find((name) => existsSync(join(folder, name)))
  if (!entry) return { name: suite.name, covers: suite.covers, status: 'missing', reason: `bench/${suite.name} has no ${ENTRY_NAMES.join(' or ')}` }
  const script = join('bench', suite.name, entry)
  const { stdout, stderr, exitCode, durationMs } = await runScript(root, script, timeoutMs, env)
  const json = parseJson(stdout)
  return {
    name: suite.name,
    covers: suite.covers,
    status: exitCode === 0 ? 'ok' : 'failed',
    command: `node ${script}`,
    durationMs,
    exitCode,
    json: json ?? null,
    text: json === undefined ? stdout.trimEnd() : null,
    stderr: exitCode === 0 ? null : tail(stderr, 20)
  }
}

/** Runs every suite; with `save` false, what a suite would write to its `results/` goes to a folder removed afterwards. */
export async function gatherThroughput(root: string, log: (line: string) => void, { save, timeoutMs = 10 * 60_000 }: { save: boolean; timeoutMs?: number }): Promise<SuiteResult[]> {
  const discarded = save ? null : mkdtempSync(join(tmpdir(), 'tether-bench-unsaved-'))
  try {
    const results: SuiteResult[] = []
    for (const suite of THROUGHPUT_SUITES) {
      log(`throughput: bench/${suite.name} (${suite.covers})`)
      const result = await runSuite(root, suite, timeoutMs, discarded === null ? {} : { [RESULTS_DIR_VARIABLE]: discarded })
      log(result.status === 'missing' ? `  missing: ${result.reason}` : `  ${result.status} in ${(result.durationMs / 1000).toFixed(1)} s`)
      results.push(result)
    }
    return results
  } finally {
    if (discarded !== null) rmSync(discarded, { recursive: true, force: true })
  }
}
