// Finds a built process entry (out/main/<name>.js) from wherever this code runs: the bundle
// (possibly in out/main/chunks/) or the TypeScript sources under a test runner, and the Node that
// runs it.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'

export function resolveEntryPoint(name: string, from: string = import.meta.dirname): string {
  for (let directory = from; ; directory = dirname(directory)) {
    for (const candidate of [join(directory, `${name}.js`), join(directory, 'out', 'main', `${name}.js`)]) {
      if (existsSync(candidate)) return candidate
    }
    if (dirname(directory) === directory) break
  }
  throw new Error(`cannot find the built ${name}.js above ${from}; run \`npx electron-vite build\` first`)
}

/** A plain Node binary for a child process: this process's own, or `node` on PATH inside Electron. */
export function plainNodePath(): string {
  return process.versions.electron === undefined ? process.execPath : 'node'
}
