#!/usr/bin/env node
// The process launcher benchmark: `node bench/launcher/run.mjs [--sizes 0,250,750] [--calls 10]
// [--rounds 3]`. It starts the built launcher (out/main/process-launcher.js), so the app is built
// first when that file is missing.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { buildAndRun, ROOT } from '../build-and-run.mjs'

if (!existsSync(join(ROOT, 'out', 'main', 'process-launcher.js'))) {
  process.stderr.write('bench/launcher: building the app first (npx electron-vite build)\n')
  const built = spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] })
  if (built.status !== 0) process.exit(built.status ?? 1)
}
process.exitCode = await buildAndRun(join(import.meta.dirname, 'main.ts'))
