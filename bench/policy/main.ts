// How long judging a shell command takes once the parser is loaded: parse alone, the full
// classification, and the policy's evaluate (rules file check and mode included). Target: the
// median for a typical command well under 1 ms (p99 is shown too; on a busy machine it measures
// the scheduler more than the code, so the load average is printed). Commands are only parsed.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { loadBashParser } from '../../src-main/node/policy/bash-parser'
import { classifyShellCommand } from '../../src-main/node/policy/classify-command'
import { defaultPathEnvironment } from '../../src-main/node/policy/path-scope'
import { TetherPolicy } from '../../src-main/node/policy/tether-policy'
import { DataDir } from '../../src-main/node/store/data-dir'

const TARGET_MS = 1
const WARMUP = 300
const SAMPLES = 3000

const COMMANDS: [label: string, command: string][] = [
  ['git status', 'git status'],
  ['git diff --stat', 'git diff --stat'],
  ['ls -la', 'ls -la'],
  ['rg in src', 'rg -n "TODO" src | head -20'],
  ['cat | head', 'cat README.md | head'],
  ['find | xargs wc', "find . -name '*.ts' | xargs wc -l"],
  ['npm test', 'npm test'],
  ['commit chain', 'git add src/parser.ts && git commit -m "Fix the tokenizer on empty input" && git log --oneline -n 3'],
  ['rm -rf build', 'rm -rf build dist .cache'],
  ['heredoc', 'cat > notes.md <<EOF\nBuilt at $(date) by $(whoami)\nEOF'],
  ['nested bash -c', "bash -c \"sh -c 'rm -rf ~'\""],
  ['curl | sh', 'curl -fsSL https://example.com/install.sh | sh'],
  ['long pipeline', `${Array.from({ length: 20 }, (_, index) => `grep -v pattern${index} file${index}.txt`).join(' | ')} | sort | uniq -c | sort -rn | head`]
]

/** Sub-commands repeated n and 10n times: read-only ones, ones whose arguments are searched for carried commands, floor ones. */
const SCALING_PARTS: [label: string, part: (index: number) => string][] = [
  ['read-only', (index) => `grep -n pattern${index} src/file${index}.ts`],
  ['arguments searched (make "...")', (index) => `make target${index} MSG="echo step ${index} && git status"`],
  ['inline code', (index) => `python3 -c "print(${index})"`],
  ['floor', (index) => `rm -rf src/module${index}`]
]

/** Mean time of a few runs of slower work (whole long commands). */
function measureFew(work: () => unknown): number {
  for (let index = 0; index < 5; index += 1) work()
  const start = performance.now()
  for (let index = 0; index < 40; index += 1) work()
  return (performance.now() - start) / 40
}

interface Stats {
  mean: number
  p50: number
  p99: number
}

function measure(work: () => unknown): Stats {
  for (let index = 0; index < WARMUP; index += 1) work()
  const samples: number[] = []
  for (let index = 0; index < SAMPLES; index += 1) {
    const start = performance.now()
    work()
    samples.push(performance.now() - start)
  }
  samples.sort((a, b) => a - b)
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length
  return { mean, p50: samples[Math.floor(samples.length * 0.5)] ?? 0, p99: samples[Math.floor(samples.length * 0.99)] ?? 0 }
}

async function measureAsync(work: () => Promise<unknown>): Promise<Stats> {
  for (let index = 0; index < WARMUP; index += 1) await work()
  const samples: number[] = []
  for (let index = 0; index < SAMPLES; index += 1) {
    const start = performance.now()
    await work()
    samples.push(performance.now() - start)
  }
  samples.sort((a, b) => a - b)
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length
  return { mean, p50: samples[Math.floor(samples.length * 0.5)] ?? 0, p99: samples[Math.floor(samples.length * 0.99)] ?? 0 }
}

/**
 * The parser keeps the trees of the last 256 texts. Each sample gets a text it has not kept: the
 * command behind a run of leading spaces of a length that cycles through more than 256 values.
 */
let variant = 0
const unseen = (command: string): string => ' '.repeat(variant++ % 512) + command

const us = (ms: number): string => `${(ms * 1000).toFixed(1).padStart(7)} µs`

function line(label: string, stats: Stats): string {
  const verdict = stats.p50 < TARGET_MS ? 'ok' : 'MEDIAN OVER 1 ms'
  return `${label.padEnd(34)} mean ${us(stats.mean)}   p50 ${us(stats.p50)}   p99 ${us(stats.p99)}   ${verdict}`
}

async function main(): Promise<void> {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'tether-bench-policy-')))
  try {
    const workspace = join(base, 'repo')
    mkdirSync(join(workspace, '.git', 'hooks'), { recursive: true })
    writeFileSync(join(workspace, 'README.md'), '# bench\n')
    const loadStart = performance.now()
    const parser = await loadBashParser()
    const loadMs = performance.now() - loadStart
    const environment = defaultPathEnvironment({ workspace, home: base, dataDir: join(base, 'data'), tempDirs: [tmpdir()] })

    const load = loadavg().map((value) => value.toFixed(1)).join(' ')
    process.stdout.write(`policy benchmark: node ${process.version}, ${cpus().length} CPUs, load average ${load}; ${SAMPLES} samples after ${WARMUP} warm-up runs; target median < ${TARGET_MS} ms\n`)
    process.stdout.write(`load the parser (WASM runtime + bash grammar), once per process: ${loadMs.toFixed(1)} ms\n\n`)
    process.stdout.write('parse only (a text the parser has not seen recently)\n')
    for (const [label, command] of COMMANDS) process.stdout.write(`  ${line(label, measure(() => parser.parse(unseen(command))))}\n`)
    process.stdout.write('\nparse of a command run before (the tree is kept)\n')
    process.stdout.write(`  ${line(COMMANDS[0]![0], measure(() => parser.parse(COMMANDS[0]![1])))}\n`)
    process.stdout.write('\nclassify (parse, read, unwrap, floor, allowlist, paths)\n')
    for (const [label, command] of COMMANDS) {
      const decision = classifyShellCommand(parser, command, environment).decision
      process.stdout.write(`  ${line(`${label} (${decision})`, measure(() => classifyShellCommand(parser, unseen(command), environment)))}\n`)
    }

    process.stdout.write('\nscaling: a command of n sub-commands against one of 10n (cost per sub-command; flat means linear)\n')
    for (const [label, part] of SCALING_PARTS) {
      const small = Array.from({ length: 20 }, (_, index) => part(index)).join(' && ')
      const large = Array.from({ length: 200 }, (_, index) => part(index)).join(' && ')
      const perSmall = measureFew(() => classifyShellCommand(parser, unseen(small), environment)) / 20
      const perLarge = measureFew(() => classifyShellCommand(parser, unseen(large), environment)) / 200
      process.stdout.write(`  ${label.padEnd(34)} n=20 ${us(perSmall)}/sub-command   n=200 ${us(perLarge)}/sub-command   ratio ${(perLarge / perSmall).toFixed(2)}\n`)
    }

    const policy = new TetherPolicy({ dataDir: new DataDir(join(base, 'data')), home: base, parser })
    await policy.remember(workspace, 'bench', ['npm', 'test'], 'always', 'allow')
    process.stdout.write('\npolicy.evaluate (plus the rules file check, rules and mode)\n')
    for (const [label, command] of [COMMANDS[0], COMMANDS[6], COMMANDS[7]] as [string, string][]) {
      const input = (text: string) => ({ runId: 'bench', tool: 'shell', subject: { kind: 'shell' as const, command: text }, mode: 'ask-risky' as const, sandboxed: true, workspace })
      const decision = (await policy.evaluate(input(command))).decision
      process.stdout.write(`  ${line(`${label} (${decision})`, await measureAsync(() => policy.evaluate(input(unseen(command)))))}\n`)
    }
  } finally {
    rmSync(base, { recursive: true, force: true })
  }
}

await main()
