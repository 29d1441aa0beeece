import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

const fromRoot = (path: string): string => resolve(import.meta.dirname, path)

// Every product Node entry point lives in the main build so one `electron-vite build` produces the
// app, the `tether` CLI and the child-process entries the tool host spawns. The benchmarks have
// their own build (bench/electron.vite.config.ts).
export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: {
          electron: fromRoot('src-main/electron-main/index.ts'),
          cli: fromRoot('src-main/node/cli/main.ts'),
          'tool-host': fromRoot('src-main/node/tools/host/tool-host-main.ts'),
          'script-runner': fromRoot('src-main/node/tools/script/script-runner-main.ts'),
          'entry-reader': fromRoot('src-main/node/snapshots/entry-reader-worker.ts'),
          'process-launcher': fromRoot('src-main/node/launcher/launcher-main.ts')
        }
      }
    }
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { index: fromRoot('src-main/preload/index.ts') },
        // A sandboxed preload must be CommonJS; with "type": "module" that means .cjs.
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: fromRoot('src-renderer'),
    build: {
      outDir: fromRoot('out/renderer'),
      rolldownOptions: { input: { index: fromRoot('src-renderer/index.html') } }
    },
    plugins: [svelte()]
  }
})
