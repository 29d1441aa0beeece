// The layering rules live in eslint.config.js and `npm run lint` applies them to the tree; these
// tests prove the rules catch each kind of violation, by linting synthetic files at real paths.
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const ROOT = `${import.meta.dirname}/..`
const eslint = new ESLint({ cwd: ROOT })

/** `line: message` for each layering problem ESLint reports in `source` placed at `file`. */
async function violationsOf(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: `${ROOT}/${file}` })
  const layering = new Set(['@typescript-eslint/no-restricted-imports', 'no-restricted-syntax', 'no-restricted-globals'])
  return (result?.messages ?? []).filter((message) => layering.has(message.ruleId ?? '')).map((message) => `${message.line}: ${message.message}`)
}

const COMMON = 'src-main/common is pure TypeScript: it may import only zod, diff, type-only openai and src-main/common'
const restricted = (specifier: string, reason: string): string => `'${specifier}' import is restricted from being used by a pattern. ${reason}`

describe('the layering rules', () => {
  it('keep src-main/common pure: no Node, Electron, native packages, other layers or host globals', async () => {
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
      "const ivm = await import('isolated-vm')",
      'export const bytes = Buffer.from("x")',
      'export const title = document.title',
      'export const later = setTimeout(() => undefined, 1)',
      'export function local(process: { cwd(): string }) { return process.cwd() }',
      'export { readFile, path, OpenAI, z, WebSocket, ipcRenderer, DataDir, reduce, ivm }',
      'export type R = Response'
    ].join('\n')
    expect(await violationsOf('src-main/common/run/bad.ts', source)).toEqual([
      `1: ${restricted('node:fs/promises', COMMON)}`,
      `2: ${restricted('path', COMMON)}`,
      `4: ${restricted('openai', 'src-main/common may use openai only for types: write `import type`')}`,
      `6: ${restricted('ws', COMMON)}`,
      `7: ${restricted('electron', COMMON)}`,
      `8: ${restricted('../../node/store/data-dir', 'src-main/common may not import src-main/node')}`,
      `10: ${COMMON}`,
      "11: Unexpected use of 'Buffer'. Buffer exists only in Node",
      "12: Unexpected use of 'document'. document exists only in the browser"
    ])
  })

  it('keep electron in the Electron main process and the preload', async () => {
    const message = 'electron may be imported only in src-main/electron-main and src-main/preload'
    expect(await violationsOf('src-main/node/driver/run-driver.ts', "import { app } from 'electron'\nexport { app }")).toEqual([`1: ${restricted('electron', message)}`])
    expect(await violationsOf('sim/server.ts', "export const electron = await import('electron')")).toEqual([`1: ${message}`])
    expect(await violationsOf('src-main/electron-main/window.ts', "import { app } from 'electron'\nimport { join } from 'node:path'\nexport { app, join }")).toEqual([])
    expect(await violationsOf('src-main/preload/index.ts', "import { contextBridge } from 'electron'\nexport { contextBridge }")).toEqual([])
  })

  it('keep native Node packages out of the Electron main process', async () => {
    expect(await violationsOf('src-main/electron-main/index.ts', "import pty from 'node-pty'\nexport { pty }")).toEqual([
      `1: ${restricted('node-pty', 'the Electron main process may not import the native Node packages (ws, node-pty, isolated-vm): they run only under src-main/node')}`
    ])
    expect(await violationsOf('src-main/node/tools/shell.ts', "import pty from 'node-pty'\nimport { spawn } from 'node:child_process'\nexport { pty, spawn }")).toEqual([])
  })

  it('keep the sandboxed preload to electron and src-main/common', async () => {
    const source = "import { join } from 'node:path'\nimport { listRuns } from '../node/store/run-index'\nimport { schemas } from '../common/api/schemas'\nexport { join, listRuns, schemas }"
    expect(await violationsOf('src-main/preload/index.ts', source)).toEqual([
      `1: ${restricted('node:path', 'the sandboxed preload may import only electron and src-main/common')}`,
      `2: ${restricted('../node/store/run-index', 'the preload may import only src-main/common')}`
    ])
  })

  it('let the renderer import only src-main/common, its own code and UI packages, in .ts and .svelte files', async () => {
    const component = [
      '<script lang="ts">',
      "  import { mount } from 'svelte'",
      "  import { reduce } from '../../src-main/common/run/reduce'",
      "  import { listRuns } from '../../src-main/node/store/run-index'",
      "  import { readFile } from 'fs'",
      '  console.log(mount, reduce, listRuns, readFile, process.cwd())',
      '</script>',
      '<p>hi</p>'
    ].join('\n')
    const renderer = 'the renderer may import only src-main/common, its own code and UI packages (svelte, marked, dompurify, @xterm/.*, highlight\\.js, diff, @tanstack/virtual-core)'
    expect(await violationsOf('src-renderer/src/Bad.svelte', component)).toEqual([
      `4: ${restricted('../../src-main/node/store/run-index', 'the renderer may import only src-main/common')}`,
      `5: ${restricted('fs', renderer)}`,
      "6: Unexpected use of 'process'. process exists only in Node"
    ])
  })

  it('keep src-main/node independent of the Electron and renderer code', async () => {
    expect(await violationsOf('src-main/node/host/bridge.ts', "import { createWindow } from '../../electron-main/window'\nexport { createWindow }")).toEqual([
      `1: ${restricted('../../electron-main/window', 'src-main/node may not import src-main/electron-main')}`
    ])
  })

  it('keep test support, bench code and the sim internals out of product code; tests may use them', async () => {
    const source = [
      "import { scratchDir } from '../../../test-support/tools/scratch'",
      "import { gather } from '../../../../bench/throughput/gather'",
      "import { startSim } from '../../../../sim'",
      "const { WsConnection } = await import('../../../../sim/server/ws-connection')",
      'export { scratchDir, gather, startSim, WsConnection }'
    ].join('\n')
    expect(await violationsOf('src-main/node/tools/shell/shell.ts', source)).toEqual([
      `1: ${restricted('../../../test-support/tools/scratch', 'product code may not import test support')}`,
      `2: ${restricted('../../../../bench/throughput/gather', 'product code may not import bench/')}`,
      '4: product code may use the sim only through its entry, sim/index'
    ])
    const test = "import { it } from 'vitest'\nimport { scratchDir } from '../../../test-support/tools/scratch'\nexport { it, scratchDir }"
    expect(await violationsOf('src-main/node/tools/shell/shell.test.ts', test)).toEqual([])
  })

})
