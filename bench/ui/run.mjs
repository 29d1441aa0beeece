#!/usr/bin/env node
// Runs the UI frame-time benchmark in Chromium (`node bench/ui/run.mjs`) and prints its result.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const here = import.meta.dirname
const { status } = spawnSync('npx', ['playwright', 'test', '-c', join(here, 'playwright.config.ts')], { stdio: ['ignore', 'inherit', 'inherit'], cwd: join(here, '..', '..') })
// Where the benchmark wrote it (see results-dir.ts).
const results = process.env.TETHER_BENCH_RESULTS_DIR ?? join(here, 'results')
if (status === 0) process.stdout.write(`${readFileSync(join(results, 'frame-time.json'), 'utf8')}\n`)
process.exitCode = status ?? 1
