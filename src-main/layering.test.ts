// The layering rules of the design, enforced: a violation fails this test and names each offending
// import with its file and line.
import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { HostGlobalUse } from './test-support/host-globals'
import { hostGlobalsUsedIn } from './test-support/host-globals'
import { checkFile, formatViolation, importsOf, layerOf } from './test-support/import-boundaries'

const ROOT = join(import.meta.dirname, '..')
const SOURCE_FOLDERS = ['src-main', 'src-renderer', 'sim', 'bench', 'e2e']
const SOURCE_FILE = /\.(ts|mts|cts|js|mjs|cjs|svelte)$/
const SKIPPED_FOLDERS = new Set(['node_modules', 'out', 'output', 'test-results'])

function sourceFiles(folder: string): string[] {
  const absolute = join(ROOT, folder)
  let entries
  try {
    entries = readdirSync(absolute, { withFileTypes: true })
  } catch {
    return []
  }
  return entries.flatMap((entry) => {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : sourceFiles(path)
    return SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path.split(sep).join('/')] : []
  })
}

describe('layering of the source tree', () => {
  const files = SOURCE_FOLDERS.flatMap(sourceFiles)

  it('finds the source files it checks', () => {
    expect(files).toContain('src-main/common/run/reduce.ts')
    expect(files).toContain('src-renderer/src/App.svelte')
  })

  it('has no import that crosses a layer boundary', () => {
    const violations = files.flatMap((file) => checkFile(file, readFileSync(join(ROOT, file), 'utf8')))
    expect(violations.map(formatViolation)).toEqual([])
  })

  // One type-checked program for both checks: loading Node's and the DOM's declarations is the slow part.
  const pureFiles = files.filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && ['common', 'renderer'].includes(layerOf(file)))
  let hostGlobals: HostGlobalUse[] | null = null
  const hostGlobalsIn = (layer: 'common' | 'renderer'): HostGlobalUse[] => {
    hostGlobals ??= hostGlobalsUsedIn(ROOT, pureFiles.map((file) => join(ROOT, file)))
    return hostGlobals.filter((use) => layerOf(use.file) === layer)
  }

  it('uses no Node-only or DOM-only global in src-main/common', () => {
    expect(hostGlobalsIn('common').map((use) => `${use.file}:${use.line}: ${use.name} (${use.host} only)`)).toEqual([])
  })

  it('uses no Node-only global in the renderer', () => {
    const uses = hostGlobalsIn('renderer').filter((use) => use.host === 'node')
    expect(uses.map((use) => `${use.file}:${use.line}: ${use.name} (node only)`)).toEqual([])
  })
})

describe('the boundary checker', () => {
  const violationsOf = (file: string, source: string) => checkFile(file, source).map(formatViolation)

  it('reports every forbidden import in a pure module, with its line', () => {
    const source = [
      "import { readFile } from 'node:fs/promises'",
      "import path from 'path'",
      "import type { Response } from 'openai/resources/responses/responses'",
      "import OpenAI from 'openai'",
      "import { z } from 'zod'",
      "import { WebSocket } from 'ws'",
      "import { ipcRenderer } from 'electron'",
      "import { DataDir } from '../../node/store/data-dir'",
      "import { reduce } from './reduce'",
      "export { spawn } from 'node-pty'",
      "const ivm = await import('isolated-vm')",
      "type Socket = import('ws').WebSocket"
    ].join('\n')
    expect(violationsOf('src-main/common/run/bad.ts', source)).toEqual([
      "src-main/common/run/bad.ts:1: imports 'node:fs/promises': src-main/common is pure TypeScript (this is a Node built-in): it may import only zod, type-only openai and src-main/common",
      "src-main/common/run/bad.ts:2: imports 'path': src-main/common is pure TypeScript (this is a Node built-in): it may import only zod, type-only openai and src-main/common",
      "src-main/common/run/bad.ts:4: imports 'openai': src-main/common may use openai only for types: write `import type`",
      "src-main/common/run/bad.ts:6: imports 'ws': src-main/common is pure TypeScript (this is a native Node package): it may import only zod, type-only openai and src-main/common",
      "src-main/common/run/bad.ts:7: imports 'electron': src-main/common is pure TypeScript (this is Electron): it may import only zod, type-only openai and src-main/common",
      "src-main/common/run/bad.ts:8: imports '../../node/store/data-dir': src-main/common may import only src-main/common, not src-main/node/store/data-dir",
      "src-main/common/run/bad.ts:10: imports 'node-pty': src-main/common is pure TypeScript (this is a native Node package): it may import only zod, type-only openai and src-main/common",
      "src-main/common/run/bad.ts:11: imports 'isolated-vm': src-main/common is pure TypeScript (this is a native Node package): it may import only zod, type-only openai and src-main/common",
      "src-main/common/run/bad.ts:12: imports 'ws': src-main/common is pure TypeScript (this is a native Node package): it may import only zod, type-only openai and src-main/common"
    ])
  })

  it('treats `import { type X }` as a run-time import: it still loads the module', () => {
    expect(violationsOf('src-main/common/protocol/bad.ts', "import { type Response } from 'openai'")).toHaveLength(1)
    expect(violationsOf('src-main/common/protocol/good.ts', "import type { Response } from 'openai'")).toEqual([])
  })

  it('keeps electron in the Electron main process and the preload', () => {
    expect(violationsOf('src-main/node/session/driver.ts', "import { app } from 'electron'")).toEqual([
      "src-main/node/session/driver.ts:1: imports 'electron': electron may be imported only in src-main/electron-main and src-main/preload"
    ])
    expect(violationsOf('sim/server.ts', "const { app } = require('electron')")).toHaveLength(1)
    expect(violationsOf('src-main/electron-main/window.ts', "import { app } from 'electron'\nimport { join } from 'node:path'")).toEqual([])
    expect(violationsOf('src-main/preload/index.ts', "import { contextBridge } from 'electron'")).toEqual([])
  })

  it('keeps native Node packages out of the Electron main process', () => {
    expect(violationsOf('src-main/electron-main/index.ts', "import pty from 'node-pty'\nimport { WebSocket } from 'ws'")).toEqual([
      "src-main/electron-main/index.ts:1: imports 'node-pty': node-pty runs only under src-main/node, never in the Electron process",
      "src-main/electron-main/index.ts:2: imports 'ws': ws runs only under src-main/node, never in the Electron process"
    ])
    expect(violationsOf('src-main/node/tools/shell.ts', "import pty from 'node-pty'\nimport { spawn } from 'node:child_process'")).toEqual([])
    expect(violationsOf('sim/server.ts', "import { WebSocketServer } from 'ws'\nimport { createServer } from 'http'")).toEqual([])
  })

  it('keeps the sandboxed preload to electron and src-main/common', () => {
    expect(violationsOf('src-main/preload/index.ts', "import { join } from 'node:path'\nimport { listRuns } from '../node/store/run-index'")).toEqual([
      "src-main/preload/index.ts:1: imports 'node:path': the sandboxed preload (this is a Node built-in) may import only electron and src-main/common",
      "src-main/preload/index.ts:2: imports '../node/store/run-index': the preload may import only src-main/common, not src-main/node/store/run-index"
    ])
  })

  it('lets the renderer import only src-main/common and UI packages, in .ts and .svelte files', () => {
    const component = [
      '<script lang="ts">',
      "  import { mount } from 'svelte'",
      "  import { Terminal } from '@xterm/xterm'",
      "  import { marked } from 'marked'",
      "  import DOMPurify from 'dompurify'",
      "  import { reduce } from '../../src-main/common/run/reduce'",
      "  import { listRuns } from '../../src-main/node/store/run-index'",
      "  import { readFile } from 'fs'",
      "  import { WebSocket } from 'ws'",
      '</script>',
      '<p>hi</p>'
    ].join('\n')
    expect(violationsOf('src-renderer/src/Bad.svelte', component)).toEqual([
      "src-renderer/src/Bad.svelte:7: imports '../../src-main/node/store/run-index': the renderer may import only src-main/common, not src-main/node/store/run-index",
      "src-renderer/src/Bad.svelte:8: imports 'fs': the renderer (this is a Node built-in) may import only src-main/common and UI packages (svelte, marked, dompurify, @xterm, highlight.js, @tanstack/virtual-core)",
      "src-renderer/src/Bad.svelte:9: imports 'ws': the renderer (this is a native Node package) may import only src-main/common and UI packages (svelte, marked, dompurify, @xterm, highlight.js, @tanstack/virtual-core)"
    ])
    expect(violationsOf('src-renderer/src/state/run.svelte.ts', "import { ipcRenderer } from 'electron'")).toHaveLength(1)
  })

  it('keeps src-main/node independent of the Electron and renderer code', () => {
    expect(violationsOf('src-main/node/host/bridge.ts', "import { createWindow } from '../../electron-main/window'")).toEqual([
      "src-main/node/host/bridge.ts:1: imports '../../electron-main/window': src-main/node must not depend on electron-main code (src-main/electron-main/window)"
    ])
  })

  it('lets tests use vitest and the test-support fixtures, and nothing more', () => {
    const source = "import { it } from 'vitest'\nimport { recordsOf } from '../../test-support/records'\nimport { readFileSync } from 'node:fs'"
    expect(violationsOf('src-main/common/run/reduce.test.ts', source)).toEqual([
      "src-main/common/run/reduce.test.ts:3: imports 'node:fs': src-main/common is pure TypeScript (this is a Node built-in): it may import only zod, type-only openai and src-main/common"
    ])
  })

  it('finds imports in every syntactic form', () => {
    const source = [
      "import 'side-effect'",
      "import def, { named } from 'a'",
      "import * as all from 'b'",
      "export * from 'c'",
      "export type { T } from 'd'",
      "import type E from 'e'",
      "import f = require('f')",
      "const g = require('g')",
      "const h = await import('h')",
      "let i: import('i').I"
    ].join('\n')
    expect(importsOf('x/file.ts', source).map((ref) => [ref.specifier, ref.typeOnly])).toEqual([
      ['side-effect', false],
      ['a', false],
      ['b', false],
      ['c', false],
      ['d', true],
      ['e', true],
      ['f', false],
      ['g', false],
      ['h', false],
      ['i', true]
    ])
  })
})

describe('the host-global checker', () => {
  it('reports Node-only and DOM-only globals and accepts what both hosts provide', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tether-globals-'))
    try {
      const file = join(folder, 'pure.ts')
      const source = [
        'export const bytes = Buffer.from("x")',
        'export const cwd = process.cwd()',
        'export const title = document.title',
        'export const later = setTimeout(() => undefined, 1)',
        'export const encoded = new TextEncoder().encode("x")',
        'export function local(process: { cwd(): string }) { return process.cwd() }',
        'export const shorthand = { process }',
        'export const keyed = { Buffer: 1 }.Buffer'
      ].join('\n')
      await writeFile(file, source)
      const uses = hostGlobalsUsedIn(folder, [file]).map((use) => `${use.file}:${use.line}: ${use.name} (${use.host})`)
      expect(uses).toEqual(['pure.ts:1: Buffer (node)', 'pure.ts:2: process (node)', 'pure.ts:3: document (dom)', 'pure.ts:7: process (node)'])
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })
})
