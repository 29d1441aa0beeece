#!/usr/bin/env node
// Builds the policy benchmark for plain node as the app build compiles it (dependencies stay
// external, so web-tree-sitter finds its WASM files), then runs it: `node bench/policy/run.mjs`.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'vite'

const root = join(import.meta.dirname, '..', '..')
// Inside the project so `node_modules` resolves from the built script.
mkdirSync(join(root, 'out'), { recursive: true })
const outDir = mkdtempSync(join(root, 'out', '.bench-policy-'))
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
  const { status } = spawnSync(process.execPath, [join(outDir, 'main.mjs'), ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exitCode = status ?? 1
} finally {
  rmSync(outDir, { recursive: true, force: true })
}
