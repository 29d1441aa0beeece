// Where the app's own files are: found from this module's location, so the same code works from
// the source tree (tests) and from the bundled `out/main` chunks.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export interface AppPaths {
  root: string
  renderer: string
  resources: string
  version: string
}

export function findAppPaths(from: string = import.meta.dirname): AppPaths {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string }
      if (parsed.name === 'tether') {
        return { root: dir, renderer: join(dir, 'out', 'renderer'), resources: join(dir, 'resources'), version: parsed.version ?? '0.0.0' }
      }
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the app's package.json above ${from}`)
  }
}
