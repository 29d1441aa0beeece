// The on-demand benchmarks are TypeScript; Node 20 runs JavaScript. This compiles one benchmark's
// `main.ts` as the app build compiles code (for plain node, dependencies external), runs it with
// the caller's arguments, and removes the build.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'vite'

export const ROOT = join(import.meta.dirname, '..')

const HELPER_ENTRIES = {
  'entry-reader': join(ROOT, 'src-main/node/snapshots/entry-reader-worker.ts'),
  'process-launcher': join(ROOT, 'src-main/node/launcher/launcher-main.ts')
}

/** Builds `entry` and runs it; resolves to its exit status. */
export async function buildAndRun(entry, { nodeArgs = [] } = {}) {
  // Inside the project, so `node_modules` and the built app resolve from the compiled script.
  mkdirSync(join(ROOT, 'out'), { recursive: true })
  const outDir = mkdtempSync(join(ROOT, 'out', '.bench-'))
  try {
    await build({
      configFile: false,
      logLevel: 'silent',
      root: ROOT,
      build: {
        ssr: true,
        outDir,
        minify: false,
        target: 'node20',
        rolldownOptions: {
          // The worker and child entries the code under test starts, beside it, where it looks for them.
          input: { main: entry, ...HELPER_ENTRIES },
          output: { format: 'es', entryFileNames: (chunk) => (chunk.name === 'main' ? 'main.mjs' : '[name].js') }
        }
      }
    })
    const { status } = spawnSync(process.execPath, [...nodeArgs, join(outDir, 'main.mjs'), ...process.argv.slice(2)], { stdio: 'inherit' })
    return status ?? 1
  } finally {
    rmSync(outDir, { recursive: true, force: true })
  }
}
