#!/usr/bin/env node
// Builds the tool benchmark for plain node (dependencies external, as the app build does) and
// runs it: `node bench/tools/run.mjs [--json] [--samples N]`. The benchmark drives the built tool
// host (out/main/tool-host.js), so the app is built first when that file is missing.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'vite'

const root = join(import.meta.dirname, '..', '..')
if (!existsSync(join(root, 'out', 'main', 'tool-host.js'))) {
  process.stderr.write('bench/tools: building the app first (npx electron-vite build)\n')
  const built = spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  if (built.status !== 0) process.exit(built.status ?? 1)
}
// Inside the project so `node_modules` and out/main/tool-host.js resolve from the built script.
mkdirSync(join(root, 'out'), { recursive: true })
const outDir = mkdtempSync(join(root, 'out', '.bench-tools-'))
try {
  await build({
    configFile: false,
    logLevel: 'silent',
    root,
    build: {
      ssr: join(import.meta.dirname, 'main.ts'),
      outDir,
      minify: false,
      target: 'node20',
      rolldownOptions: { output: { format: 'es', entryFileNames: '[name].mjs' } }
    }
  })
  const { status } = spawnSync(process.execPath, ['--no-node-snapshot', join(outDir, 'main.mjs'), ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exitCode = status ?? 1
} finally {
  rmSync(outDir, { recursive: true, force: true })
}
