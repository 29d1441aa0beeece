#!/usr/bin/env node
// Builds the foundation benchmarks into one script for plain node (the code under test compiled
// as the app build compiles it), then runs them: `node bench/foundation/run.mjs [reducer|replay|append]`.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'vite'

const root = join(import.meta.dirname, '..', '..')
const outDir = mkdtempSync(join(tmpdir(), 'tether-bench-'))
try {
  await build({
    configFile: false,
    logLevel: 'silent',
    root,
    // Dependencies are bundled in, so the script runs from a folder outside the project.
    ssr: { noExternal: true },
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
