#!/usr/bin/env node
// `npm run bench [-- options]`: builds the benchmark (bench/electron.vite.config.ts, into out/bench)
// when a source is newer than the built benchmark, copies that folder to a private snapshot (a rebuild during a
// long benchmark must not swap files under it), and runs the benchmark from there. `--no-build`
// skips the build step; every other argument goes to the benchmark (`--help` lists them).
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const outBench = join(root, 'out', 'bench')
const snapshot = join(root, 'node_modules', '.cache', 'tether-bench', 'main')
const SOURCES = ['src-main', 'sim', 'bench', 'resources', 'package.json', 'package-lock.json']
const SKIPPED = new Set(['node_modules', 'results', '.git'])

function newestChange(path) {
  if (!existsSync(path)) return 0
  const stats = statSync(path)
  if (!stats.isDirectory()) return stats.mtimeMs
  let newest = stats.mtimeMs
  for (const entry of readdirSync(path)) {
    if (!SKIPPED.has(entry)) newest = Math.max(newest, newestChange(join(path, entry)))
  }
  return newest
}

function needsBuild() {
  const built = join(outBench, 'bench.js')
  if (!existsSync(built) || !existsSync(join(outBench, 'bench-sim.js'))) return true
  const builtAt = statSync(built).mtimeMs
  return SOURCES.some((source) => newestChange(join(root, source)) > builtAt)
}

const args = process.argv.slice(2)
const skipBuild = args.includes('--no-build')
const benchArgs = args.filter((arg) => arg !== '--no-build')
const ENTRIES = ['bench.js', 'bench-sim.js', 'tool-host.js', 'script-runner.js', 'entry-reader.js', 'process-launcher.js']

function build() {
  process.stderr.write('bench: building (npx electron-vite build -c bench/electron.vite.config.ts)\n')
  const result = spawnSync('npx', ['electron-vite', 'build', '-c', 'bench/electron.vite.config.ts', '--logLevel', 'error'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  if (result.status !== 0) {
    process.stderr.write('bench: the build failed\n')
    process.exit(1)
  }
}

/** Copies out/bench aside; false when it is incomplete (another build is rewriting it right now). */
function snapshotBuild() {
  rmSync(snapshot, { recursive: true, force: true })
  try {
    cpSync(outBench, snapshot, { recursive: true })
  } catch {
    return false
  }
  return ENTRIES.every((entry) => existsSync(join(snapshot, entry)))
}

if (!skipBuild && needsBuild()) build()
let ready = snapshotBuild()
for (let attempt = 0; !ready && !skipBuild && attempt < 3; attempt++) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5000)
  if (needsBuild()) build()
  ready = snapshotBuild()
}
if (!ready) {
  process.stderr.write(`bench: out/bench lacks ${ENTRIES.join(', ')}; run without --no-build\n`)
  process.exit(1)
}
const run = spawnSync(process.execPath, [join(snapshot, 'bench.js'), ...benchArgs], { cwd: root, stdio: 'inherit' })
process.exit(run.status ?? 1)
