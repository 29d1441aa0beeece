// The app process talks to the tool host; it must never load the native modules the host owns
// (isolated-vm is not safe in Electron's V8, node-pty belongs in the host like VS Code's pty host).
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { expect, test } from 'vitest'

const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm

/** Every module reachable from `entry` through static and dynamic imports: relative files and package names. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>()
  const packages = new Set<string>()
  const queue = [entry]
  while (queue.length > 0) {
    const file = queue.pop() as string
    if (files.has(file)) continue
    files.add(file)
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3] ?? ''
      if (!specifier.startsWith('.')) {
        packages.add(specifier)
        continue
      }
      const base = resolve(dirname(file), specifier)
      const found = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate))
      if (found) queue.push(found)
    }
  }
  return { files, packages }
}

test.each([
  ['the runtime', join(import.meta.dirname, 'sandboxed-tool-runtime.ts')],
  ['tether sandbox', join(import.meta.dirname, '../cli/commands/sandbox.ts')]
])('%s never loads node-pty or isolated-vm', (_name, entry) => {
  const { files, packages } = importGraph(entry)
  expect(files.size).toBeGreaterThan(10)
  expect([...packages].filter((name) => name === 'node-pty' || name === 'isolated-vm')).toEqual([])
  expect([...files].filter((file) => file.includes('/shell/pty-shell') || file.includes('/script/isolate-runner'))).toEqual([])
})

test('the tool host and the script runner are where they are loaded', () => {
  expect(importGraph(join(import.meta.dirname, 'host/tool-host-main.ts')).packages.has('node-pty')).toBe(true)
  expect(importGraph(join(import.meta.dirname, 'script/script-runner-main.ts')).packages.has('isolated-vm')).toBe(true)
  expect(importGraph(join(import.meta.dirname, 'host/tool-host-main.ts')).packages.has('isolated-vm')).toBe(false)
})
