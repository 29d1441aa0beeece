import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'

const fromRoot = (path: string): string => resolve(import.meta.dirname, '..', path)

// The benchmark build (`npm run bench` runs it): its own entries plus the child-process entries the
// tool host spawns, in out/bench, so the product build in out/main carries no benchmark code.
export default defineConfig({
  main: {
    build: {
      outDir: fromRoot('out/bench'),
      rolldownOptions: {
        input: {
          bench: fromRoot('bench/main.ts'),
          'bench-sim': fromRoot('bench/transport/sim-process.ts'),
          'tool-host': fromRoot('src-main/node/tools/host/tool-host-main.ts'),
          'script-runner': fromRoot('src-main/node/tools/script/script-runner-main.ts'),
          'entry-reader': fromRoot('src-main/node/snapshots/entry-reader-worker.ts'),
          'process-launcher': fromRoot('src-main/node/launcher/launcher-main.ts')
        }
      }
    }
  }
})
