#!/usr/bin/env node
// The tool benchmark: `node bench/tools/run.mjs [--json] [--samples N]`. It drives the built tool
// host (out/main/tool-host.js), so the app is built first when that file is missing.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { buildAndRun, ROOT } from '../build-and-run.mjs'

if (!existsSync(join(ROOT, 'out', 'main', 'tool-host.js'))) {
  process.stderr.write('bench/tools: building the app first (npx electron-vite build)\n')
  const built = spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] })
  if (built.status !== 0) process.exit(built.status ?? 1)
}
process.exitCode = await buildAndRun(join(import.meta.dirname, 'main.ts'), { nodeArgs: ['--no-node-snapshot'] })
